"""Reads for OKRs, one module per thing a user looks at. Each returns a queryset already
shaped, or a page dataclass whose rows are already joined and prefetched: templates read
attributes and run no query, and every page costs the same number of queries whatever the
number of objectives."""

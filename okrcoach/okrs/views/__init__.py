"""OKR pages, one module per topic. Thin views: resolve access, validate with a form, call one
service or selector, respond. An htmx request gets the fragment, anyone else the page or a
redirect."""

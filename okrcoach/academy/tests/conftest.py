from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from okrcoach.academy.models import Course
from okrcoach.orgs.models import Membership

from .factories import make_course


@pytest.fixture
def course(db: None) -> Course:
    return make_course()


@pytest.fixture
def login() -> Callable[[Membership], Client]:
    def _login(membership: Membership) -> Client:
        client = Client()
        client.force_login(membership.user)
        return client

    return _login

import pytest

from tests.search.corpus import build


@pytest.fixture
def corpus(lib):
    return build(lib)

import pytest


@pytest.fixture
def instruments(db):
    """The bundled survey instruments, as every deployment loads them."""
    from surveys.loader import load_bundled_instruments

    return [result.instrument for result in load_bundled_instruments()]

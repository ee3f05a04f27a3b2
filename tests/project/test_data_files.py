"""Versioned data files: two loaders of a new framework or instrument at once store it once."""

from __future__ import annotations

import threading

import pytest

from evaluations.framework_spec import BUILTIN_DIR, parse_framework
from evaluations.loader import load_framework_data, read_framework_file
from evaluations.models import Framework
from surveys.instrument_spec import INSTRUMENTS_DIR
from surveys.loader import load_instrument_path
from surveys.models import Instrument
from tests.threads import at_once
from zi_tracker import data_files


def _race(monkeypatch, module, load, count: int = 4) -> list:
    """Run `load` in `count` threads that all reach the store at the same moment."""
    barrier = threading.Barrier(count)
    real_store = data_files.store_version

    def store_at_once(model, *, create, **kwargs):
        def create_together(version):
            barrier.wait(timeout=30)  # every loader has looked and found nothing stored
            return create(version)

        return real_store(model, create=create_together, **kwargs)

    monkeypatch.setattr(module, "store_version", store_at_once)

    results, errors = at_once(load, count)
    assert errors == []
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_four_loaders_of_a_new_instrument_at_once_store_one_version(monkeypatch):
    import surveys.loader

    Instrument.objects.filter(slug="skm-2017").delete()
    results = _race(
        monkeypatch, surveys.loader, lambda: load_instrument_path(INSTRUMENTS_DIR / "skm-2017.json")
    )
    assert sorted(r.created for r in results) == [False, False, False, True]
    assert len({r.instrument.pk for r in results}) == 1
    assert Instrument.objects.filter(slug="skm-2017").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_four_loaders_of_a_new_framework_at_once_store_one_version(monkeypatch):
    import evaluations.loader

    data = read_framework_file(BUILTIN_DIR / "lke-2021.json")
    data["slug"] = "lke-race"

    results = _race(monkeypatch, evaluations.loader, lambda: load_framework_data(data))
    assert sorted(r.created for r in results) == [False, False, False, True]
    assert len({r.framework.pk for r in results}) == 1
    framework = Framework.objects.get(slug="lke-race")
    assert framework.version == 1
    assert framework.questions.count() == len(parse_framework(data).questions)

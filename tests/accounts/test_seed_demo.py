"""`manage.py seed_demo` runs every app's and room's demo, each after what it builds on."""

from pathlib import Path

from django.conf import settings

from declics.accounts.management.commands.seed_demo import DEMO_MODULES


def test_seed_demo_lists_every_demo_module_after_the_sessions_it_builds_on():
    root = Path(settings.BASE_DIR)
    found = {
        ".".join(path.parent.relative_to(root).parts)
        for package in ("declics", "programs", "mentoring", "jobs")
        for path in (root / package).rglob("demo.py")
    }

    assert set(DEMO_MODULES) == found
    assert DEMO_MODULES[:3] == ["declics.accounts", "declics.territories", "programs"]

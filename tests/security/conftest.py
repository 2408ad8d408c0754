import pytest

from .world import build_world


@pytest.fixture
def world(db, settings, tmp_path):
    # Uploaded CVs go to a temporary folder; e-mails are queued, not sent on commit.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return build_world()

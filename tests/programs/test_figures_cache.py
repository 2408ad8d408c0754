from programs.figures_cache import figures_changed, session_figures_version


def test_session_figures_version_moves_only_when_the_transaction_commits(
    db, django_capture_on_commit_callbacks
):
    assert session_figures_version(41) == 0

    with django_capture_on_commit_callbacks(execute=True):
        figures_changed(41)
    with django_capture_on_commit_callbacks(execute=True):
        figures_changed(41)
    with django_capture_on_commit_callbacks(execute=False):  # never committed: not bumped
        figures_changed(41)

    assert (session_figures_version(41), session_figures_version(42)) == (2, 0)

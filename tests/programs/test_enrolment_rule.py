"""No module outside the spine resolves "the enrolment of this page" itself (issue 12).

`programs/enrolments.py` holds the one rule (`find_enrolment`, `enrolment_of`, `@step_page`,
`current_session_enrolment`); an import contract cannot see the shape of a query, so this reads
the source of every module of the apps and fails, with the file and the line, on:

- a function named like the old variants (`current_enrolment`, `active_enrolment`, `_enrolment`,
  `_own_enrolment`…);
- an `Enrolment` query (or `user.enrolments`) filtered by the person that picks one enrolment: it
  ends in `.first()` / `.get()` / `.last()`…, is handed to `get_object_or_404`, or is also filtered
  by the session (one person, one session: the unique enrolment). Listing every enrolment of a
  person (personal-data export and erasure) is not resolving one;
- a lookup that reaches the person's enrolment from another model (`session__enrolments__job_seeker`).
"""

import ast
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PACKAGES = ("declics", "programs", "mentoring", "jobs")
# The rule itself, and the services that create and end enrolments (enrolling checks the person's
# existing enrolment in the session, withdrawn ones included).
SPINE = {"programs/enrolments.py", "programs/services/enrolments.py", "programs/services/lifecycle.py"}

VARIANT_NAME = re.compile(
    r"^_*(?:current|active|own|my|the|get|find|page|session)?_?enrolment(?:_of|_for|_in)?$"
)
PICK_ONE = {"first", "last", "get", "earliest", "latest", "get_or_create", "update_or_create"}
FILTERS = {"filter", "exclude", "get", "get_or_create", "update_or_create"}
MANAGERS = {"objects", "_default_manager", "_base_manager"}


def _modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative in SPINE:
                continue
            yield relative, ast.parse(path.read_text(), filename=relative)


def _chain(node):
    """The calls and attributes of `a.b(...).c(...)`, outermost first, and the root expression."""
    links = []
    while True:
        if isinstance(node, ast.Call):
            links.append(node)
            node = node.func
        elif isinstance(node, ast.Attribute | ast.Subscript):
            links.append(node)
            node = node.value
        else:
            return links, node


def _attributes(links) -> list[str]:
    return [link.attr for link in reversed(links) if isinstance(link, ast.Attribute)]


def _is_enrolment_query(links, root) -> bool:
    attributes = _attributes(links)
    if isinstance(root, ast.Name) and root.id == "Enrolment" and attributes[:1] and attributes[0] in MANAGERS:
        return True
    # user.enrolments…, request.user.enrolments…, job_seeker.enrolments…
    return "enrolments" in attributes and (
        (isinstance(root, ast.Name) and root.id in {"user", "job_seeker"})
        or (isinstance(root, ast.Name) and root.id == "request" and attributes[:1] == ["user"])
    )


def _keywords(links) -> list[str]:
    """The lookups of the chain's filtering calls (not a constructor's or a service's arguments)."""
    return [
        kw.arg
        for link in links
        if isinstance(link, ast.Call) and isinstance(link.func, ast.Attribute) and link.func.attr in FILTERS
        for kw in link.keywords
        if kw.arg
    ]


def _findings(relative: str, tree: ast.AST) -> list[str]:
    found = []
    seen: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and VARIANT_NAME.match(node.name):
            found.append(f"{relative}:{node.lineno}: function {node.name}() resolves an enrolment")
        if isinstance(node, ast.keyword) and node.arg and "enrolments__job_seeker" in node.arg:
            found.append(f"{relative}:{node.value.lineno}: lookup {node.arg}= reaches the person's enrolment")
        if not isinstance(node, ast.Call) or id(node) in seen:
            continue
        outer = node
        if isinstance(node.func, ast.Name) and node.func.id in {"get_object_or_404", "get_list_or_404"}:
            if not node.args:
                continue
            links, root = _chain(node.args[0])
            keywords = _keywords(links) + [kw.arg for kw in node.keywords if kw.arg]
            picks_one = True
        else:
            links, root = _chain(node)
            keywords = _keywords(links)
            picks_one = any(isinstance(link, ast.Attribute) and link.attr in PICK_ONE for link in links)
        seen.update(id(link) for link in links if isinstance(link, ast.Call))
        enrolments = _is_enrolment_query(links, root)
        by_person = (enrolments and "enrolments" in _attributes(links)) or any(
            key.split("__")[0] in {"job_seeker", "job_seeker_id"} for key in keywords
        )
        by_session = any(key.split("__")[0] in {"session", "session_id"} for key in keywords)
        # Any query of one person in one session is the enrolment (whatever queryset it starts from).
        if by_person and (by_session or (enrolments and picks_one)):
            found.append(f"{relative}:{outer.lineno}: an Enrolment query resolves the person's enrolment")
    return found


def test_no_module_outside_the_spine_resolves_an_enrolment():
    found = [finding for relative, tree in _modules() for finding in _findings(relative, tree)]

    assert found == []


def _scan(source: str) -> list[str]:
    return [f.split(": ", 1)[1] for f in _findings("x.py", ast.parse(source))]


def test_the_scanner_sees_each_shape_of_the_old_variants():
    # What the seven variants looked like (programs, jobs, mentoring, the rooms' selectors and views).
    assert _scan("def current_enrolment(user):\n    return None") == [
        "function current_enrolment() resolves an enrolment"
    ]
    assert _scan("def _own_enrolment(request, slug):\n    pass") == [
        "function _own_enrolment() resolves an enrolment"
    ]
    assert _scan("Enrolment.objects.filter(job_seeker=user).exclude(status='w').order_by('-pk').first()") == [
        "an Enrolment query resolves the person's enrolment"
    ]
    assert _scan(
        "Enrolment.objects.select_for_update().filter(session=s, job_seeker=u, status='active').first()"
    ) == ["an Enrolment query resolves the person's enrolment"]
    assert _scan(
        "get_object_or_404(Enrolment.objects.all(), session__slug=slug, job_seeker=request.user)"
    ) == ["an Enrolment query resolves the person's enrolment"]
    assert _scan("get_object_or_404(pathway_enrolments(), session__slug=slug, job_seeker=request.user)") == [
        "an Enrolment query resolves the person's enrolment"
    ]
    assert _scan("request.user.enrolments.filter(session=session).exists()") == [
        "an Enrolment query resolves the person's enrolment"
    ]
    assert _scan("Workshop.objects.filter(session__enrolments__job_seeker=user)") == [
        "lookup session__enrolments__job_seeker= reaches the person's enrolment"
    ]


def test_the_scanner_lets_lists_and_other_shapes_pass():
    # Every enrolment of a person (export, erasure), a session's enrolments, ownership of an object.
    assert _scan("for e in Enrolment.objects.filter(job_seeker=user): pass") == []
    assert _scan("Enrolment.objects.filter(session=session, status='active').first()") == []
    assert _scan("TalkRegistration.objects.filter(talk=t, enrolment__job_seeker=user).first()") == []
    assert _scan("def suggested_codes_by_enrolment(ids): pass") == []
    assert _scan("Enrolment(session=session, job_seeker=user)") == []
    assert _scan("services.enrol_job_seeker(session=session, job_seeker=request.user)") == []

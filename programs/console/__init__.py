"""The operator's console: the staff pages that run a cohort from the browser (issue 14).

A cross-step layer, like the adviser pages: it reads and acts on the steps only through
`programs.registry` and the spine's services, never by importing a step (import-linter's "pages"
and "layers" contracts). What belongs to one step (its talks, its offers' moderation) is a staff
page of that step's room, linked from here. Each area of the console is a sub-package with its own
`urls.py`, included below; every action goes through a service, and every page is staff only.
"""

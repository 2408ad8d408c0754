"""Step 4, online workshops: the web layer, calendar files, e-mails, tasks and demo data.

Models live in `programs.models.workshops` and the business rules in `programs.services.workshops`.
"""

"""The audit log page: what the team did, who did it and when, each field's before and after.

The log itself is django-auditlog's table, written as `declics.audit` describes (why that library,
what it records, how a person's erasure blanks the entries about them); this page only reads it.
"""

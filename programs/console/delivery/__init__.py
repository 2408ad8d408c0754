"""Delivery: the outbox as a page for the team (issue 14, item 7).

How many messages wait, left, failed; how late the queue is (the age of the oldest message due and
not sent); each message's recipient, subject, status and the reason of a failure, never its body;
and a button that sends a failed message again (`declics.notifications.services.resend_failed_message`).
SMS apart (issue 15): their counts per status over the last 30 days, the segments sent and their
estimated cost (SMS_COST_PER_SEGMENT), and each SMS's segment count.
"""

"""Steps 5 and 6, and the partner space they share.

- `jobs/` itself (app label `jobs`): partners (companies and training bodies), their members, SIRET
  and file checks, the partner home and dashboard; the two rooms import it, never each other.
- `jobs/trainings/` (step 5): trainings, meeting slots with training bodies and their bookings, interests.
- `jobs/offers/` (step 6): job offers (partners' and France Travail's), applications with their CVs.

The rooms' models keep the `jobs` app label: their tables and migrations stay in `jobs/migrations/`.
"""

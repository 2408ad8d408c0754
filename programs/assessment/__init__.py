"""Step 2, the skills assessment: one room with the questionnaire models, scoring, business rules,
sharing and web layer (installed app `assessment`; its models keep the `programs` label)."""

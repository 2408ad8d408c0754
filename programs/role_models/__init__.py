"""Step 1, role models and their talks: one room with the models, business rules, web layer,
calendar files, tasks and demo data (installed app `role_models`; its models keep the `programs` label)."""

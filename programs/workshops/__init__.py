"""Step 4, online workshops: one room with the models, business rules, web layer, calendar files,
e-mails, tasks and demo data (installed app `workshops`; its models keep the `programs` label)."""

"""The console's reference data area: upload the official QPV and FRR/ZRR lists (imported by a
task, with its report), and the state of every reference list (issue 14, item 8)."""

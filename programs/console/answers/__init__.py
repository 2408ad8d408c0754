"""The console's answers: what people said of the programme (surveys, mentorships, workshops)."""

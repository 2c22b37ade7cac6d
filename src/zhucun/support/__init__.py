"""组织保障 (MGT.7, GUA.2): training events and attendance, fund entitlements and their
allocation, monthly subsidies and the payment ledger, physical exams and accident insurance."""

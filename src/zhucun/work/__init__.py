"""The team's work in the village (MGT.2, DUT.1–5, DUT.LIST, MGT.8.GROUPS, MGT.8.VISITS, MGT.6.*,
GUA.1.BIND): weekly meetings and their tasks, key-task lists from the coordinating bodies,
village-group contacts, visits and households, and reports drafted from what is recorded."""

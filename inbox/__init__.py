"""“Việc của tôi”: what waits for each user, computed from the declared workflow and the deadlines of
the domain (monthly report by the 25th, acceptance at the end date, settlement by 22 January)."""

"""The data help desk: questions routed to data leaders by skill, answers that become a FAQ."""

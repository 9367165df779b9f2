"""The informal data working group: members, milestones, programmes planned from demand,
sessions with registration, attendance and feedback, and deliveries."""

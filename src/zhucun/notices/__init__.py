"""站内通知: things addressed to one user (a decision on their leave, a result to sign for),
with an unread count for the bell and, where the deployment configures SMTP, an email."""

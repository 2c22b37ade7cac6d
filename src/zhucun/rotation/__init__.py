"""调整轮换 (MGT.9.APPLY, MGT.9.DOCS): a cadre's application to leave a posting early for
health, job transfer or family hardship, through township, unit and organisation department,
with its attachments and the 审批表."""

"""The moderation queue: list, filters, detail, dialogs, audit, rules and the queue's jobs."""

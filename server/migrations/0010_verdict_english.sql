-- The English reason of a verdict beside the Chinese one (issue 12: every message the server
-- sends in the interface's language), so that a repeat answers both. Verdicts stored before
-- have none: the client shows their Chinese message.
ALTER TABLE envelope ADD COLUMN message_en TEXT;
ALTER TABLE decision ADD COLUMN message_en TEXT;

-- What the EZD gives back beyond the RPW number: the sender's entry in its contact base
-- (`idAdresat` and the address version the RPW entry names), and the case the letter's flow was
-- put in (`idSprawa` and the EZD's sign). Three steps come between the registration and the end:
-- the sender (4), the RPW metadata (5), the case (6); what was done (4) is now 7.
ALTER TABLE ezd_outbox ADD COLUMN contact_id TEXT;
ALTER TABLE ezd_outbox ADD COLUMN sender_address TEXT;
ALTER TABLE ezd_outbox ADD COLUMN case_id TEXT;
ALTER TABLE ezd_outbox ADD COLUMN case_sign TEXT;
UPDATE ezd_outbox SET step = 7 WHERE step = 4;
CREATE INDEX ezd_outbox_case ON ezd_outbox(case_id) WHERE case_id IS NOT NULL;

-- Posting queue slots per account (issue 8): recurring weekly wall-clock times in one IANA
-- zone, kept as one row per account so a new set replaces the old one atomically.
-- `slots` is a JSON array of {"weekday": "Mon".."Sun", "time": "HH:MM:SS"}; the facade
-- validates it before it is written.
CREATE TABLE queue_slots (
    account_id TEXT PRIMARY KEY NOT NULL REFERENCES social_accounts(id) ON DELETE CASCADE,
    timezone   TEXT NOT NULL CHECK (length(timezone) > 0),
    slots      TEXT NOT NULL CHECK (json_valid(slots) AND json_type(slots) = 'array'),
    updated_at TEXT NOT NULL
);

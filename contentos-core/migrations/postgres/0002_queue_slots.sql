-- Posting queue slots per account (issue 8): recurring weekly wall-clock times in one IANA
-- zone, kept as one row per account so a new set replaces the old one atomically.
-- `slots` is a JSON array of {"weekday": "Mon".."Sun", "time": "HH:MM:SS"}; the facade
-- validates it before it is written.
CREATE TABLE queue_slots (
    account_id UUID PRIMARY KEY REFERENCES social_accounts(id) ON DELETE CASCADE,
    timezone   TEXT NOT NULL CHECK (length(timezone) > 0),
    slots      JSONB NOT NULL CHECK (jsonb_typeof(slots) = 'array'),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

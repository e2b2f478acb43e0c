CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
CREATE TABLE account (
	name VARCHAR(200) NOT NULL, 
	domain VARCHAR(253), 
	industry VARCHAR(100), 
	segment VARCHAR(32), 
	tier VARCHAR(32) NOT NULL, 
	owner VARCHAR(100), 
	customer_since DATE, 
	checkin_cadence_days INTEGER NOT NULL, 
	external_id VARCHAR(100), 
	last_touch_at VARCHAR(26), 
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	version INTEGER NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	archived_at VARCHAR(26), currency VARCHAR(3) DEFAULT 'USD' NOT NULL, 
	CONSTRAINT pk_account PRIMARY KEY (id), 
	CONSTRAINT uq_account_domain UNIQUE (domain), 
	CONSTRAINT uq_account_external_id UNIQUE (external_id), 
	CONSTRAINT uq_account_uid UNIQUE (uid)
);
CREATE TABLE account_objective (
	account_id INTEGER NOT NULL, 
	title VARCHAR(200) NOT NULL, 
	detail TEXT, 
	status VARCHAR(32) NOT NULL, 
	due_date DATE, 
	position INTEGER NOT NULL, 
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	version INTEGER NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	archived_at VARCHAR(26), 
	CONSTRAINT pk_account_objective PRIMARY KEY (id), 
	CONSTRAINT fk_account_objective_account_id FOREIGN KEY(account_id) REFERENCES account (id), 
	CONSTRAINT uq_account_objective_uid UNIQUE (uid)
);
CREATE TABLE contact (
	account_id INTEGER NOT NULL, 
	first_name VARCHAR(100), 
	last_name VARCHAR(100) NOT NULL, 
	email VARCHAR(254), 
	phone VARCHAR(50), 
	title VARCHAR(200), 
	role VARCHAR(32), 
	sentiment VARCHAR(32), 
	influence INTEGER, 
	relationship_strength INTEGER, 
	last_contacted_at VARCHAR(26), 
	reports_to_id INTEGER, 
	map_x FLOAT, 
	map_y FLOAT, 
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	version INTEGER NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	archived_at VARCHAR(26), cadence_days INTEGER, left_on DATE, 
	CONSTRAINT pk_contact PRIMARY KEY (id), 
	CONSTRAINT ck_contact_influence_range CHECK (influence BETWEEN 1 AND 5), 
	CONSTRAINT ck_contact_strength_range CHECK (relationship_strength BETWEEN 1 AND 5), 
	CONSTRAINT ck_contact_not_own_manager CHECK (reports_to_id IS NULL OR reports_to_id <> id), 
	CONSTRAINT fk_contact_account_id FOREIGN KEY(account_id) REFERENCES account (id), 
	CONSTRAINT fk_contact_reports_to_id FOREIGN KEY(reports_to_id) REFERENCES contact (id) ON DELETE SET NULL, 
	CONSTRAINT uq_contact_uid UNIQUE (uid)
);
CREATE TABLE contract (
	account_id INTEGER NOT NULL, 
	name VARCHAR(200), 
	start_date DATE NOT NULL, 
	end_date DATE NOT NULL, 
	arr_cents INTEGER NOT NULL, 
	currency VARCHAR(3) NOT NULL, 
	auto_renew BOOLEAN NOT NULL, 
	notice_days INTEGER NOT NULL, 
	previous_contract_id INTEGER, 
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	version INTEGER NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	archived_at VARCHAR(26), 
	CONSTRAINT pk_contract PRIMARY KEY (id), 
	CONSTRAINT ck_contract_arr_not_negative CHECK (arr_cents >= 0), 
	CONSTRAINT ck_contract_dates_in_order CHECK (end_date >= start_date), 
	CONSTRAINT ck_contract_notice_not_negative CHECK (notice_days >= 0), 
	CONSTRAINT fk_contract_account_id FOREIGN KEY(account_id) REFERENCES account (id), 
	CONSTRAINT fk_contract_previous_contract_id FOREIGN KEY(previous_contract_id) REFERENCES contract (id) ON DELETE SET NULL, 
	CONSTRAINT uq_contract_uid UNIQUE (uid)
);
CREATE TABLE escalation (
	account_id INTEGER NOT NULL, 
	title VARCHAR(200) NOT NULL, 
	description TEXT, 
	severity VARCHAR(32) NOT NULL, 
	status VARCHAR(32) NOT NULL, 
	internal_owner VARCHAR(100), 
	opened_on DATE NOT NULL, 
	resolved_on DATE, 
	resolution TEXT, 
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	version INTEGER NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	archived_at VARCHAR(26), 
	CONSTRAINT pk_escalation PRIMARY KEY (id), 
	CONSTRAINT fk_escalation_account_id FOREIGN KEY(account_id) REFERENCES account (id), 
	CONSTRAINT uq_escalation_uid UNIQUE (uid)
);
CREATE TABLE health_snapshot (
	id INTEGER NOT NULL, 
	account_id INTEGER NOT NULL, 
	computed_at VARCHAR(26) NOT NULL, 
	score FLOAT NOT NULL, 
	band VARCHAR(32) NOT NULL, 
	components TEXT NOT NULL, 
	CONSTRAINT pk_health_snapshot PRIMARY KEY (id), 
	CONSTRAINT ck_health_snapshot_score_range CHECK (score BETWEEN 0 AND 100), 
	CONSTRAINT fk_health_snapshot_account_id FOREIGN KEY(account_id) REFERENCES account (id)
);
CREATE TABLE note (
	account_id INTEGER NOT NULL, 
	kind VARCHAR(32) NOT NULL, 
	occurred_at VARCHAR(26) NOT NULL, 
	title VARCHAR(200), 
	body TEXT NOT NULL, 
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	version INTEGER NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	archived_at VARCHAR(26), calendar_key VARCHAR(400), message_id VARCHAR(400), follow_up_at VARCHAR(26), 
	CONSTRAINT pk_note PRIMARY KEY (id), 
	CONSTRAINT fk_note_account_id FOREIGN KEY(account_id) REFERENCES account (id), 
	CONSTRAINT uq_note_uid UNIQUE (uid)
);
CREATE TABLE usage_sample (
	account_id INTEGER NOT NULL, 
	sampled_on DATE NOT NULL, 
	active_users INTEGER NOT NULL, 
	licensed_seats INTEGER NOT NULL, 
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	version INTEGER NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	archived_at VARCHAR(26), 
	CONSTRAINT pk_usage_sample PRIMARY KEY (id), 
	CONSTRAINT ck_usage_sample_counts_not_negative CHECK (active_users >= 0 AND licensed_seats >= 0), 
	CONSTRAINT fk_usage_sample_account_id FOREIGN KEY(account_id) REFERENCES account (id), 
	CONSTRAINT uq_usage_sample_uid UNIQUE (uid)
);
CREATE TABLE whitespace_product (
	account_id INTEGER NOT NULL, 
	product VARCHAR(200) NOT NULL, 
	status VARCHAR(32) NOT NULL, 
	estimated_arr_cents INTEGER, 
	notes TEXT, 
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	version INTEGER NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	archived_at VARCHAR(26), 
	CONSTRAINT pk_whitespace_product PRIMARY KEY (id), 
	CONSTRAINT fk_whitespace_product_account_id FOREIGN KEY(account_id) REFERENCES account (id), 
	CONSTRAINT uq_whitespace_product_uid UNIQUE (uid)
);
CREATE TABLE account_risk (
	account_id INTEGER NOT NULL, 
	description TEXT NOT NULL, 
	mitigation TEXT, 
	owner VARCHAR(100), 
	severity VARCHAR(32) NOT NULL, 
	status VARCHAR(32) NOT NULL, 
	note_id INTEGER, 
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	version INTEGER NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	archived_at VARCHAR(26), 
	CONSTRAINT pk_account_risk PRIMARY KEY (id), 
	CONSTRAINT fk_account_risk_account_id FOREIGN KEY(account_id) REFERENCES account (id), 
	CONSTRAINT fk_account_risk_note_id FOREIGN KEY(note_id) REFERENCES note (id) ON DELETE SET NULL, 
	CONSTRAINT uq_account_risk_uid UNIQUE (uid)
);
CREATE TABLE action_item (
	account_id INTEGER NOT NULL, 
	note_id INTEGER, 
	text TEXT NOT NULL, 
	owner VARCHAR(100), 
	due_date DATE, 
	status VARCHAR(32) NOT NULL, 
	done_at VARCHAR(26), 
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	version INTEGER NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	archived_at VARCHAR(26), reminded_at VARCHAR(26), 
	CONSTRAINT pk_action_item PRIMARY KEY (id), 
	CONSTRAINT fk_action_item_account_id FOREIGN KEY(account_id) REFERENCES account (id), 
	CONSTRAINT fk_action_item_note_id FOREIGN KEY(note_id) REFERENCES note (id) ON DELETE SET NULL, 
	CONSTRAINT uq_action_item_uid UNIQUE (uid)
);
CREATE TABLE influence_link (
	account_id INTEGER NOT NULL, 
	from_contact_id INTEGER NOT NULL, 
	to_contact_id INTEGER NOT NULL, 
	note TEXT, 
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	version INTEGER NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	archived_at VARCHAR(26), 
	CONSTRAINT pk_influence_link PRIMARY KEY (id), 
	CONSTRAINT ck_influence_link_not_self CHECK (from_contact_id <> to_contact_id), 
	CONSTRAINT fk_influence_link_account_id FOREIGN KEY(account_id) REFERENCES account (id), 
	CONSTRAINT fk_influence_link_from_contact_id FOREIGN KEY(from_contact_id) REFERENCES contact (id), 
	CONSTRAINT fk_influence_link_to_contact_id FOREIGN KEY(to_contact_id) REFERENCES contact (id), 
	CONSTRAINT uq_influence_link_from_contact_id UNIQUE (from_contact_id, to_contact_id), 
	CONSTRAINT uq_influence_link_uid UNIQUE (uid)
);
CREATE TABLE note_attendee (
	id INTEGER NOT NULL, 
	note_id INTEGER NOT NULL, 
	contact_id INTEGER, 
	email VARCHAR(254), 
	CONSTRAINT pk_note_attendee PRIMARY KEY (id), 
	CONSTRAINT fk_note_attendee_contact_id FOREIGN KEY(contact_id) REFERENCES contact (id) ON DELETE SET NULL, 
	CONSTRAINT fk_note_attendee_note_id FOREIGN KEY(note_id) REFERENCES note (id) ON DELETE CASCADE
);
CREATE TABLE product_feedback (
	account_id INTEGER NOT NULL, 
	note_id INTEGER, 
	text TEXT NOT NULL, 
	product_area VARCHAR(100), 
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	version INTEGER NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	archived_at VARCHAR(26), 
	CONSTRAINT pk_product_feedback PRIMARY KEY (id), 
	CONSTRAINT fk_product_feedback_account_id FOREIGN KEY(account_id) REFERENCES account (id), 
	CONSTRAINT fk_product_feedback_note_id FOREIGN KEY(note_id) REFERENCES note (id) ON DELETE SET NULL, 
	CONSTRAINT uq_product_feedback_uid UNIQUE (uid)
);
CREATE TABLE renewal (
	contract_id INTEGER NOT NULL, 
	stage VARCHAR(32) NOT NULL, 
	likelihood INTEGER NOT NULL, 
	proposed_arr_cents INTEGER, 
	outcome_arr_cents INTEGER, 
	close_date DATE, 
	risk_notes TEXT, 
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	version INTEGER NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	archived_at VARCHAR(26), currency VARCHAR(3) DEFAULT 'USD' NOT NULL, 
	CONSTRAINT pk_renewal PRIMARY KEY (id), 
	CONSTRAINT ck_renewal_likelihood_range CHECK (likelihood BETWEEN 0 AND 100), 
	CONSTRAINT fk_renewal_contract_id FOREIGN KEY(contract_id) REFERENCES contract (id), 
	CONSTRAINT uq_renewal_contract_id UNIQUE (contract_id), 
	CONSTRAINT uq_renewal_uid UNIQUE (uid)
);
CREATE TABLE survey_response (
	account_id INTEGER NOT NULL, 
	responded_on DATE NOT NULL, 
	kind VARCHAR(32) NOT NULL, 
	score INTEGER NOT NULL, 
	contact_id INTEGER, 
	contact_email VARCHAR(254), 
	comment TEXT, 
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	version INTEGER NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	archived_at VARCHAR(26), 
	CONSTRAINT pk_survey_response PRIMARY KEY (id), 
	CONSTRAINT ck_survey_response_score_range CHECK (score BETWEEN 0 AND 10), 
	CONSTRAINT fk_survey_response_account_id FOREIGN KEY(account_id) REFERENCES account (id), 
	CONSTRAINT fk_survey_response_contact_id FOREIGN KEY(contact_id) REFERENCES contact (id) ON DELETE SET NULL, 
	CONSTRAINT uq_survey_response_uid UNIQUE (uid)
);
CREATE TABLE arr_movement (
	account_id INTEGER NOT NULL, 
	occurred_on DATE NOT NULL, 
	type VARCHAR(32) NOT NULL, 
	amount_cents INTEGER NOT NULL, 
	source VARCHAR(20) NOT NULL, 
	renewal_id INTEGER, 
	opportunity_id INTEGER, 
	comment TEXT, 
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	version INTEGER NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	archived_at VARCHAR(26), currency VARCHAR(3) DEFAULT 'USD' NOT NULL, 
	CONSTRAINT pk_arr_movement PRIMARY KEY (id), 
	CONSTRAINT ck_arr_movement_amount_positive CHECK (amount_cents > 0), 
	CONSTRAINT fk_arr_movement_account_id FOREIGN KEY(account_id) REFERENCES account (id), 
	CONSTRAINT fk_arr_movement_opportunity_id FOREIGN KEY(opportunity_id) REFERENCES opportunity (id) ON DELETE SET NULL, 
	CONSTRAINT fk_arr_movement_renewal_id FOREIGN KEY(renewal_id) REFERENCES renewal (id) ON DELETE SET NULL, 
	CONSTRAINT uq_arr_movement_uid UNIQUE (uid)
);
CREATE VIRTUAL TABLE note_fts USING fts5(
        title, body, content='note_search', content_rowid='key',
        tokenize='unicode61 remove_diacritics 2');
CREATE TABLE "opportunity" (
	account_id INTEGER NOT NULL, 
	kind VARCHAR(32) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	product VARCHAR(200), 
	amount_cents INTEGER NOT NULL, 
	stage VARCHAR(32) NOT NULL, 
	probability INTEGER NOT NULL, 
	close_date DATE, 
	notes TEXT, 
	id INTEGER NOT NULL, 
	uid VARCHAR(36) NOT NULL, 
	version INTEGER NOT NULL, 
	created_at VARCHAR(26) NOT NULL, 
	updated_at VARCHAR(26) NOT NULL, 
	archived_at VARCHAR(26), 
	note_id INTEGER, currency VARCHAR(3) DEFAULT 'USD' NOT NULL, 
	CONSTRAINT pk_opportunity PRIMARY KEY (id), 
	CONSTRAINT fk_opportunity_account_id FOREIGN KEY(account_id) REFERENCES account (id), 
	CONSTRAINT ck_opportunity_probability_range CHECK (probability BETWEEN 0 AND 100), 
	CONSTRAINT uq_opportunity_uid UNIQUE (uid), 
	CONSTRAINT fk_opportunity_note_id FOREIGN KEY(note_id) REFERENCES note (id) ON DELETE SET NULL
);
CREATE TABLE sync_link (
	obj VARCHAR(20) NOT NULL, 
	local_id INTEGER NOT NULL, 
	remote_id VARCHAR(40) NOT NULL, 
	remote_modified_ms INTEGER, 
	CONSTRAINT pk_sync_link PRIMARY KEY (obj, local_id), 
	CONSTRAINT uq_sync_link_obj UNIQUE (obj, remote_id)
);
CREATE TABLE sync_change (
	obj VARCHAR(20) NOT NULL, 
	local_id INTEGER NOT NULL, 
	field VARCHAR(40) NOT NULL, 
	base TEXT, 
	seq INTEGER NOT NULL, 
	CONSTRAINT pk_sync_change PRIMARY KEY (obj, local_id, field)
);
CREATE TABLE sync_conflict (
	id INTEGER NOT NULL, 
	obj VARCHAR(20) NOT NULL, 
	local_id INTEGER NOT NULL, 
	field VARCHAR(40), 
	base TEXT, 
	local TEXT, 
	remote TEXT, 
	kind VARCHAR(20) NOT NULL, 
	created_at VARCHAR(32) NOT NULL, 
	CONSTRAINT pk_sync_conflict PRIMARY KEY (id)
);
CREATE TABLE sync_state (
	"key" VARCHAR(60) NOT NULL, 
	value TEXT, 
	CONSTRAINT pk_sync_state PRIMARY KEY ("key")
);
CREATE TABLE sync_outbox (
	obj VARCHAR(20) NOT NULL, 
	local_id INTEGER NOT NULL, 
	attempts INTEGER NOT NULL, 
	CONSTRAINT pk_sync_outbox PRIMARY KEY (obj, local_id)
);
CREATE TABLE fx_rate (
	date DATE NOT NULL, 
	base VARCHAR(3) NOT NULL, 
	quote VARCHAR(3) NOT NULL, 
	rate VARCHAR(40) NOT NULL, 
	CONSTRAINT pk_fx_rate PRIMARY KEY (date, base, quote), 
	CONSTRAINT ck_fx_rate_two_currencies CHECK (base <> quote)
);
CREATE TABLE account_summary (
	account_id INTEGER NOT NULL, 
	as_of DATE NOT NULL, 
	arr_cents INTEGER, 
	next_renewal_on DATE, 
	CONSTRAINT pk_account_summary PRIMARY KEY (account_id), 
	CONSTRAINT fk_account_summary_account_id FOREIGN KEY(account_id) REFERENCES account (id) ON DELETE CASCADE
);
CREATE INDEX ix_account_name ON account (name);
CREATE INDEX ix_account_objective_account_id ON account_objective (account_id);
CREATE INDEX ix_contact_account_id ON contact (account_id);
CREATE INDEX ix_contact_email ON contact (email);
CREATE INDEX ix_contact_reports_to_id ON contact (reports_to_id);
CREATE INDEX ix_contract_account_id ON contract (account_id);
CREATE INDEX ix_contract_end_date ON contract (end_date);
CREATE INDEX ix_escalation_account_id ON escalation (account_id);
CREATE INDEX ix_health_account_computed ON health_snapshot (account_id, computed_at);
CREATE INDEX ix_note_account_occurred ON note (account_id, occurred_at);
CREATE INDEX ix_note_occurred_at ON note (occurred_at);
CREATE UNIQUE INDEX ix_usage_account_date ON usage_sample (account_id, sampled_on);
CREATE INDEX ix_whitespace_product_account_id ON whitespace_product (account_id);
CREATE INDEX ix_account_risk_account_id ON account_risk (account_id);
CREATE INDEX ix_action_item_account_id ON action_item (account_id);
CREATE INDEX ix_action_item_due_date ON action_item (due_date);
CREATE INDEX ix_action_item_note_id ON action_item (note_id);
CREATE INDEX ix_influence_link_account_id ON influence_link (account_id);
CREATE INDEX ix_influence_link_to_contact_id ON influence_link (to_contact_id);
CREATE INDEX ix_note_attendee_contact_id ON note_attendee (contact_id);
CREATE INDEX ix_note_attendee_note_id ON note_attendee (note_id);
CREATE INDEX ix_product_feedback_account_id ON product_feedback (account_id);
CREATE INDEX ix_survey_account_date ON survey_response (account_id, responded_on);
CREATE INDEX ix_arr_movement_account_date ON arr_movement (account_id, occurred_on);
CREATE INDEX ix_arr_movement_occurred_on ON arr_movement (occurred_on);
CREATE INDEX ix_arr_movement_opportunity_id ON arr_movement (opportunity_id);
CREATE INDEX ix_arr_movement_renewal_id ON arr_movement (renewal_id);
CREATE INDEX ix_account_list ON account (archived_at, name, domain, industry, owner);
CREATE INDEX ix_opportunity_account_id ON opportunity (account_id);
CREATE INDEX ix_sync_conflict_record ON sync_conflict (obj, local_id);
CREATE INDEX ix_action_item_open_due ON action_item (due_date, account_id) WHERE status = 'open' AND archived_at IS NULL;
CREATE INDEX ix_escalation_unresolved ON escalation (account_id) WHERE status <> 'resolved' AND archived_at IS NULL;
CREATE INDEX ix_contract_live_notice ON contract (notice_days) WHERE archived_at IS NULL;
CREATE UNIQUE INDEX ux_note_calendar_key ON note (calendar_key) WHERE calendar_key IS NOT NULL;
CREATE UNIQUE INDEX ux_note_message_id ON note (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX ix_contact_stay_in_touch ON contact (last_contacted_at, account_id, role, cadence_days) WHERE archived_at IS NULL AND left_on IS NULL;
CREATE INDEX ix_arr_movement_live_ledger ON arr_movement (account_id, occurred_on, type, amount_cents, currency) WHERE archived_at IS NULL;
CREATE INDEX ix_account_summary_arr_cents ON account_summary (arr_cents);
CREATE INDEX ix_account_summary_next_renewal_on ON account_summary (next_renewal_on);
CREATE VIEW note_search (key, title, body) AS SELECT (CAST(strftime('%s', occurred_at) AS INTEGER) * 10000000 + id % 10000000), title, body FROM note;
CREATE TRIGGER note_fts_after_insert AFTER INSERT ON note BEGIN
        INSERT INTO note_fts(rowid, title, body)
        VALUES ((CAST(strftime('%s', new.occurred_at) AS INTEGER) * 10000000 + new.id % 10000000), new.title, new.body);
    END;
CREATE TRIGGER note_fts_after_delete AFTER DELETE ON note BEGIN
        INSERT INTO note_fts(note_fts, rowid, title, body)
        VALUES ('delete', (CAST(strftime('%s', old.occurred_at) AS INTEGER) * 10000000 + old.id % 10000000), old.title, old.body);
    END;
CREATE TRIGGER note_fts_after_update AFTER UPDATE OF title, body, occurred_at ON note
    BEGIN
        INSERT INTO note_fts(note_fts, rowid, title, body)
        VALUES ('delete', (CAST(strftime('%s', old.occurred_at) AS INTEGER) * 10000000 + old.id % 10000000), old.title, old.body);
        INSERT INTO note_fts(rowid, title, body)
        VALUES ((CAST(strftime('%s', new.occurred_at) AS INTEGER) * 10000000 + new.id % 10000000), new.title, new.body);
    END;
CREATE TRIGGER sync_track_note AFTER UPDATE ON note
WHEN (SELECT value FROM sync_state WHERE key = 'tracking') = '1'
 AND (SELECT value FROM sync_state WHERE key = 'applying') IS NOT '1'
 AND EXISTS (SELECT 1 FROM sync_link WHERE obj = 'note' AND local_id = NEW.id)
BEGIN
  INSERT INTO sync_state (key, value) VALUES ('seq', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
  INSERT INTO sync_change (obj, local_id, field, base, seq) SELECT 'note', NEW.id, 'body', json_quote(OLD.body), (SELECT value FROM sync_state WHERE key = 'seq') WHERE OLD.body IS NOT NEW.body ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
  DELETE FROM sync_change WHERE obj = 'note' AND local_id = NEW.id AND field = 'body' AND base IS json_quote(NEW.body);
  INSERT INTO sync_change (obj, local_id, field, base, seq) SELECT 'note', NEW.id, 'occurred_at', json_quote(OLD.occurred_at), (SELECT value FROM sync_state WHERE key = 'seq') WHERE OLD.occurred_at IS NOT NEW.occurred_at ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
  DELETE FROM sync_change WHERE obj = 'note' AND local_id = NEW.id AND field = 'occurred_at' AND base IS json_quote(NEW.occurred_at);
  INSERT INTO sync_change (obj, local_id, field, base, seq) SELECT 'note', NEW.id, 'account_id', json_quote(OLD.account_id), (SELECT value FROM sync_state WHERE key = 'seq') WHERE OLD.account_id IS NOT NEW.account_id ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
  DELETE FROM sync_change WHERE obj = 'note' AND local_id = NEW.id AND field = 'account_id' AND base IS json_quote(NEW.account_id);
  INSERT INTO sync_change (obj, local_id, field, base, seq) SELECT 'note', NEW.id, 'archived_at', json_quote(OLD.archived_at), (SELECT value FROM sync_state WHERE key = 'seq') WHERE OLD.archived_at IS NOT NEW.archived_at ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
  DELETE FROM sync_change WHERE obj = 'note' AND local_id = NEW.id AND field = 'archived_at' AND base IS json_quote(NEW.archived_at);
END;
CREATE TRIGGER sync_track_note_attendee_insert AFTER INSERT ON note_attendee
WHEN (SELECT value FROM sync_state WHERE key = 'tracking') = '1'
 AND (SELECT value FROM sync_state WHERE key = 'applying') IS NOT '1'
 AND EXISTS (SELECT 1 FROM sync_link WHERE obj = 'note' AND local_id = NEW.note_id)
BEGIN
  INSERT INTO sync_state (key, value) VALUES ('seq', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
  INSERT INTO sync_change (obj, local_id, field, base, seq) VALUES ('note', NEW.note_id, 'attendees', NULL, (SELECT value FROM sync_state WHERE key = 'seq')) ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER sync_track_note_attendee_delete AFTER DELETE ON note_attendee
WHEN (SELECT value FROM sync_state WHERE key = 'tracking') = '1'
 AND (SELECT value FROM sync_state WHERE key = 'applying') IS NOT '1'
 AND EXISTS (SELECT 1 FROM sync_link WHERE obj = 'note' AND local_id = OLD.note_id)
BEGIN
  INSERT INTO sync_state (key, value) VALUES ('seq', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
  INSERT INTO sync_change (obj, local_id, field, base, seq) VALUES ('note', OLD.note_id, 'attendees', NULL, (SELECT value FROM sync_state WHERE key = 'seq')) ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER sync_track_note_attendee_update AFTER UPDATE ON note_attendee
WHEN (SELECT value FROM sync_state WHERE key = 'tracking') = '1'
 AND (SELECT value FROM sync_state WHERE key = 'applying') IS NOT '1'
 AND EXISTS (SELECT 1 FROM sync_link WHERE obj = 'note' AND local_id = NEW.note_id)
BEGIN
  INSERT INTO sync_state (key, value) VALUES ('seq', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
  INSERT INTO sync_change (obj, local_id, field, base, seq) VALUES ('note', NEW.note_id, 'attendees', NULL, (SELECT value FROM sync_state WHERE key = 'seq')) ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER sync_track_contact AFTER UPDATE ON contact
WHEN (SELECT value FROM sync_state WHERE key = 'tracking') = '1'
 AND (SELECT value FROM sync_state WHERE key = 'applying') IS NOT '1'
 AND EXISTS (SELECT 1 FROM sync_link WHERE obj = 'contact' AND local_id = NEW.id)
BEGIN
  INSERT INTO sync_state (key, value) VALUES ('seq', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
  INSERT INTO sync_change (obj, local_id, field, base, seq) SELECT 'contact', NEW.id, 'first_name', json_quote(OLD.first_name), (SELECT value FROM sync_state WHERE key = 'seq') WHERE OLD.first_name IS NOT NEW.first_name ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
  DELETE FROM sync_change WHERE obj = 'contact' AND local_id = NEW.id AND field = 'first_name' AND base IS json_quote(NEW.first_name);
  INSERT INTO sync_change (obj, local_id, field, base, seq) SELECT 'contact', NEW.id, 'last_name', json_quote(OLD.last_name), (SELECT value FROM sync_state WHERE key = 'seq') WHERE OLD.last_name IS NOT NEW.last_name ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
  DELETE FROM sync_change WHERE obj = 'contact' AND local_id = NEW.id AND field = 'last_name' AND base IS json_quote(NEW.last_name);
  INSERT INTO sync_change (obj, local_id, field, base, seq) SELECT 'contact', NEW.id, 'email', json_quote(OLD.email), (SELECT value FROM sync_state WHERE key = 'seq') WHERE OLD.email IS NOT NEW.email ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
  DELETE FROM sync_change WHERE obj = 'contact' AND local_id = NEW.id AND field = 'email' AND base IS json_quote(NEW.email);
  INSERT INTO sync_change (obj, local_id, field, base, seq) SELECT 'contact', NEW.id, 'title', json_quote(OLD.title), (SELECT value FROM sync_state WHERE key = 'seq') WHERE OLD.title IS NOT NEW.title ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
  DELETE FROM sync_change WHERE obj = 'contact' AND local_id = NEW.id AND field = 'title' AND base IS json_quote(NEW.title);
  INSERT INTO sync_change (obj, local_id, field, base, seq) SELECT 'contact', NEW.id, 'phone', json_quote(OLD.phone), (SELECT value FROM sync_state WHERE key = 'seq') WHERE OLD.phone IS NOT NEW.phone ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
  DELETE FROM sync_change WHERE obj = 'contact' AND local_id = NEW.id AND field = 'phone' AND base IS json_quote(NEW.phone);
  INSERT INTO sync_change (obj, local_id, field, base, seq) SELECT 'contact', NEW.id, 'account_id', json_quote(OLD.account_id), (SELECT value FROM sync_state WHERE key = 'seq') WHERE OLD.account_id IS NOT NEW.account_id ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
  DELETE FROM sync_change WHERE obj = 'contact' AND local_id = NEW.id AND field = 'account_id' AND base IS json_quote(NEW.account_id);
  INSERT INTO sync_change (obj, local_id, field, base, seq) SELECT 'contact', NEW.id, 'archived_at', json_quote(OLD.archived_at), (SELECT value FROM sync_state WHERE key = 'seq') WHERE OLD.archived_at IS NOT NEW.archived_at ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
  DELETE FROM sync_change WHERE obj = 'contact' AND local_id = NEW.id AND field = 'archived_at' AND base IS json_quote(NEW.archived_at);
  INSERT INTO sync_change (obj, local_id, field, base, seq) SELECT 'contact', NEW.id, 'reports_to_id', json_quote(OLD.reports_to_id), (SELECT value FROM sync_state WHERE key = 'seq') WHERE OLD.reports_to_id IS NOT NEW.reports_to_id ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
  DELETE FROM sync_change WHERE obj = 'contact' AND local_id = NEW.id AND field = 'reports_to_id' AND base IS json_quote(NEW.reports_to_id);
END;
CREATE TRIGGER sync_track_account AFTER UPDATE ON account
WHEN (SELECT value FROM sync_state WHERE key = 'tracking') = '1'
 AND (SELECT value FROM sync_state WHERE key = 'applying') IS NOT '1'
 AND EXISTS (SELECT 1 FROM sync_link WHERE obj = 'account' AND local_id = NEW.id)
BEGIN
  INSERT INTO sync_state (key, value) VALUES ('seq', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
  INSERT INTO sync_change (obj, local_id, field, base, seq) SELECT 'account', NEW.id, 'name', json_quote(OLD.name), (SELECT value FROM sync_state WHERE key = 'seq') WHERE OLD.name IS NOT NEW.name ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
  DELETE FROM sync_change WHERE obj = 'account' AND local_id = NEW.id AND field = 'name' AND base IS json_quote(NEW.name);
  INSERT INTO sync_change (obj, local_id, field, base, seq) SELECT 'account', NEW.id, 'domain', json_quote(OLD.domain), (SELECT value FROM sync_state WHERE key = 'seq') WHERE OLD.domain IS NOT NEW.domain ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
  DELETE FROM sync_change WHERE obj = 'account' AND local_id = NEW.id AND field = 'domain' AND base IS json_quote(NEW.domain);
  INSERT INTO sync_change (obj, local_id, field, base, seq) SELECT 'account', NEW.id, 'industry', json_quote(OLD.industry), (SELECT value FROM sync_state WHERE key = 'seq') WHERE OLD.industry IS NOT NEW.industry ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
  DELETE FROM sync_change WHERE obj = 'account' AND local_id = NEW.id AND field = 'industry' AND base IS json_quote(NEW.industry);
  INSERT INTO sync_change (obj, local_id, field, base, seq) SELECT 'account', NEW.id, 'archived_at', json_quote(OLD.archived_at), (SELECT value FROM sync_state WHERE key = 'seq') WHERE OLD.archived_at IS NOT NEW.archived_at ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
  DELETE FROM sync_change WHERE obj = 'account' AND local_id = NEW.id AND field = 'archived_at' AND base IS json_quote(NEW.archived_at);
  INSERT INTO sync_change (obj, local_id, field, base, seq) SELECT 'account', NEW.id, 'currency', json_quote(OLD.currency), (SELECT value FROM sync_state WHERE key = 'seq') WHERE OLD.currency IS NOT NEW.currency ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
  DELETE FROM sync_change WHERE obj = 'account' AND local_id = NEW.id AND field = 'currency' AND base IS json_quote(NEW.currency);
END;
CREATE TRIGGER sync_track_opportunity AFTER UPDATE ON opportunity
WHEN (SELECT value FROM sync_state WHERE key = 'tracking') = '1'
 AND (SELECT value FROM sync_state WHERE key = 'applying') IS NOT '1'
 AND EXISTS (SELECT 1 FROM sync_link WHERE obj = 'opportunity' AND local_id = NEW.id)
BEGIN
  INSERT INTO sync_state (key, value) VALUES ('seq', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
  INSERT INTO sync_change (obj, local_id, field, base, seq) SELECT 'opportunity', NEW.id, 'name', json_quote(OLD.name), (SELECT value FROM sync_state WHERE key = 'seq') WHERE OLD.name IS NOT NEW.name ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
  DELETE FROM sync_change WHERE obj = 'opportunity' AND local_id = NEW.id AND field = 'name' AND base IS json_quote(NEW.name);
  INSERT INTO sync_change (obj, local_id, field, base, seq) SELECT 'opportunity', NEW.id, 'amount_cents', json_quote(OLD.amount_cents), (SELECT value FROM sync_state WHERE key = 'seq') WHERE OLD.amount_cents IS NOT NEW.amount_cents ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
  DELETE FROM sync_change WHERE obj = 'opportunity' AND local_id = NEW.id AND field = 'amount_cents' AND base IS json_quote(NEW.amount_cents);
  INSERT INTO sync_change (obj, local_id, field, base, seq) SELECT 'opportunity', NEW.id, 'close_date', json_quote(OLD.close_date), (SELECT value FROM sync_state WHERE key = 'seq') WHERE OLD.close_date IS NOT NEW.close_date ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
  DELETE FROM sync_change WHERE obj = 'opportunity' AND local_id = NEW.id AND field = 'close_date' AND base IS json_quote(NEW.close_date);
  INSERT INTO sync_change (obj, local_id, field, base, seq) SELECT 'opportunity', NEW.id, 'stage', json_quote(OLD.stage), (SELECT value FROM sync_state WHERE key = 'seq') WHERE OLD.stage IS NOT NEW.stage ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
  DELETE FROM sync_change WHERE obj = 'opportunity' AND local_id = NEW.id AND field = 'stage' AND base IS json_quote(NEW.stage);
  INSERT INTO sync_change (obj, local_id, field, base, seq) SELECT 'opportunity', NEW.id, 'account_id', json_quote(OLD.account_id), (SELECT value FROM sync_state WHERE key = 'seq') WHERE OLD.account_id IS NOT NEW.account_id ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
  DELETE FROM sync_change WHERE obj = 'opportunity' AND local_id = NEW.id AND field = 'account_id' AND base IS json_quote(NEW.account_id);
  INSERT INTO sync_change (obj, local_id, field, base, seq) SELECT 'opportunity', NEW.id, 'archived_at', json_quote(OLD.archived_at), (SELECT value FROM sync_state WHERE key = 'seq') WHERE OLD.archived_at IS NOT NEW.archived_at ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
  DELETE FROM sync_change WHERE obj = 'opportunity' AND local_id = NEW.id AND field = 'archived_at' AND base IS json_quote(NEW.archived_at);
  INSERT INTO sync_change (obj, local_id, field, base, seq) SELECT 'opportunity', NEW.id, 'currency', json_quote(OLD.currency), (SELECT value FROM sync_state WHERE key = 'seq') WHERE OLD.currency IS NOT NEW.currency ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
  DELETE FROM sync_change WHERE obj = 'opportunity' AND local_id = NEW.id AND field = 'currency' AND base IS json_quote(NEW.currency);
END;
CREATE TRIGGER sync_track_renewal AFTER UPDATE ON renewal
WHEN (SELECT value FROM sync_state WHERE key = 'tracking') = '1'
 AND (SELECT value FROM sync_state WHERE key = 'applying') IS NOT '1'
 AND EXISTS (SELECT 1 FROM sync_link WHERE obj = 'renewal' AND local_id = NEW.id)
BEGIN
  INSERT INTO sync_state (key, value) VALUES ('seq', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
  INSERT INTO sync_change (obj, local_id, field, base, seq) SELECT 'renewal', NEW.id, 'stage', json_quote(OLD.stage), (SELECT value FROM sync_state WHERE key = 'seq') WHERE OLD.stage IS NOT NEW.stage ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
  DELETE FROM sync_change WHERE obj = 'renewal' AND local_id = NEW.id AND field = 'stage' AND base IS json_quote(NEW.stage);
  INSERT INTO sync_change (obj, local_id, field, base, seq) SELECT 'renewal', NEW.id, 'proposed_arr_cents', json_quote(OLD.proposed_arr_cents), (SELECT value FROM sync_state WHERE key = 'seq') WHERE OLD.proposed_arr_cents IS NOT NEW.proposed_arr_cents ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
  DELETE FROM sync_change WHERE obj = 'renewal' AND local_id = NEW.id AND field = 'proposed_arr_cents' AND base IS json_quote(NEW.proposed_arr_cents);
  INSERT INTO sync_change (obj, local_id, field, base, seq) SELECT 'renewal', NEW.id, 'close_date', json_quote(OLD.close_date), (SELECT value FROM sync_state WHERE key = 'seq') WHERE OLD.close_date IS NOT NEW.close_date ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
  DELETE FROM sync_change WHERE obj = 'renewal' AND local_id = NEW.id AND field = 'close_date' AND base IS json_quote(NEW.close_date);
  INSERT INTO sync_change (obj, local_id, field, base, seq) SELECT 'renewal', NEW.id, 'archived_at', json_quote(OLD.archived_at), (SELECT value FROM sync_state WHERE key = 'seq') WHERE OLD.archived_at IS NOT NEW.archived_at ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
  DELETE FROM sync_change WHERE obj = 'renewal' AND local_id = NEW.id AND field = 'archived_at' AND base IS json_quote(NEW.archived_at);
  INSERT INTO sync_change (obj, local_id, field, base, seq) SELECT 'renewal', NEW.id, 'currency', json_quote(OLD.currency), (SELECT value FROM sync_state WHERE key = 'seq') WHERE OLD.currency IS NOT NEW.currency ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;
  DELETE FROM sync_change WHERE obj = 'renewal' AND local_id = NEW.id AND field = 'currency' AND base IS json_quote(NEW.currency);
END;
INSERT INTO alembic_version (version_num) VALUES ('0013_summary_arr_unknown');

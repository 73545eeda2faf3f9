-- Configuration read on every payin and payout (services, merchant services, channels, their
-- bindings, risk rules) is cached in each server process. Any write to these tables, by the app, the
-- CLI, a script or psql, tells every process through NOTIFY on the channel `payrail_config` when it
-- commits, and the processes drop their cached configuration (server/src/modules/shared/config-cache.ts).
CREATE OR REPLACE FUNCTION payrail_config_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('payrail_config', TG_TABLE_NAME);
  RETURN NULL;
END
$$;

CREATE TRIGGER services_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "services"
  FOR EACH STATEMENT EXECUTE FUNCTION payrail_config_changed();
CREATE TRIGGER merchant_services_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "merchant_services"
  FOR EACH STATEMENT EXECUTE FUNCTION payrail_config_changed();
CREATE TRIGGER channels_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "channels"
  FOR EACH STATEMENT EXECUTE FUNCTION payrail_config_changed();
CREATE TRIGGER channel_services_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "channel_services"
  FOR EACH STATEMENT EXECUTE FUNCTION payrail_config_changed();
CREATE TRIGGER risk_rules_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "risk_rules"
  FOR EACH STATEMENT EXECUTE FUNCTION payrail_config_changed();

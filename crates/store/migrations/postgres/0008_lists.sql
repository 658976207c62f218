-- Case lists: "assigned to me" within an organisation walks its own index in date order.
CREATE INDEX cases_org_assigned ON cases(org_id, assigned_to, created_at);

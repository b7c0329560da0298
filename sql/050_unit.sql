-- unit: 被评价单位 / an organisation that is evaluated (a county or district union, a department).
-- Grain 粒度: one row per unit_key = is_demo | admin_code | unit name. Demo units are kept apart
-- from real ones even when they share a real county's name and code.
CREATE TABLE IF NOT EXISTS unit (
    unit_id           INTEGER NOT NULL PRIMARY KEY,
    unit_key          VARCHAR NOT NULL UNIQUE,
    unit_name         VARCHAR,
    province          VARCHAR,
    city              VARCHAR,
    county            VARCHAR,
    admin_code        VARCHAR,
    geo_method        VARCHAR,
    is_demo           BOOLEAN NOT NULL,
    first_load_run_id INTEGER NOT NULL
);
COMMENT ON TABLE unit IS '被评价单位：每个单位一行（演示单位与真实单位分开）。Unit: one row per evaluated organisation (demo units kept apart from real ones).';
COMMENT ON COLUMN unit.unit_id IS '单位编号。Unit id.';
COMMENT ON COLUMN unit.unit_key IS '单位识别键：是否演示|行政区划代码|单位名称。Unit identity: is_demo|admin_code|name.';
COMMENT ON COLUMN unit.unit_name IS '单位名称（规范化后）。Unit name (normalized).';
COMMENT ON COLUMN unit.province IS '省级行政区。Province.';
COMMENT ON COLUMN unit.city IS '地级市（州、盟）。Prefecture-level city.';
COMMENT ON COLUMN unit.county IS '县级行政区（县、区、县级市、旗）。County-level division.';
COMMENT ON COLUMN unit.admin_code IS '六位行政区划代码（GB/T 2260）。Six-digit administrative division code (GB/T 2260).';
COMMENT ON COLUMN unit.geo_method IS '区划的确定方式：explicit 报告写明，inferred_from_county 由县区推断，doc_hint 由文号等线索推断。How the region was found: explicit, inferred_from_county, doc_hint.';
COMMENT ON COLUMN unit.is_demo IS '是否为演示数据。Synthetic demo data.';
COMMENT ON COLUMN unit.first_load_run_id IS '首次出现该单位的载入批次。Load run in which the unit first appeared.';

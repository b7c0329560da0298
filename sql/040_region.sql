-- region: 行政区划参考表 / reference list of administrative divisions (GB/T 2260 codes).
-- Grain 粒度: one row per (admin_code, valid_from): a code and the years it was in force.
-- Replaced at every load from data/reference/regions.csv through loaders.regions.region_rows();
-- empty when that reference is absent. Gives coverage its denominator (counties expected).
CREATE TABLE IF NOT EXISTS region (
    admin_code    VARCHAR NOT NULL CHECK (length(admin_code) = 6),
    name          VARCHAR NOT NULL,
    level         VARCHAR NOT NULL CHECK (level IN ('province', 'city', 'county')),
    province_code VARCHAR,
    city_code     VARCHAR,
    province      VARCHAR,
    city          VARCHAR,
    county        VARCHAR,
    valid_from    INTEGER,
    valid_to      INTEGER,
    source        VARCHAR,
    UNIQUE (admin_code, valid_from)
);
COMMENT ON TABLE region IS '行政区划参考表（GB/T 2260），覆盖率中“应报县区数”的来源。Administrative divisions (GB/T 2260), the denominator of coverage ("m counties expected").';
COMMENT ON COLUMN region.admin_code IS '六位行政区划代码（GB/T 2260）。Six-digit administrative division code (GB/T 2260).';
COMMENT ON COLUMN region.name IS '区划名称。Division name.';
COMMENT ON COLUMN region.level IS '级别：province 省级，city 地级，county 县级。Level: province, city (prefecture), county.';
COMMENT ON COLUMN region.province_code IS '所属省级区划代码。Code of the province.';
COMMENT ON COLUMN region.city_code IS '所属地级区划代码（省直辖的县级区划为空）。Code of the prefecture (NULL for counties directly under a province).';
COMMENT ON COLUMN region.province IS '省级行政区。Province.';
COMMENT ON COLUMN region.city IS '地级市（州、盟）。Prefecture-level city.';
COMMENT ON COLUMN region.county IS '县级行政区（县、区、县级市、旗）。County-level division.';
COMMENT ON COLUMN region.valid_from IS '代码启用年份（含），空表示起始未知。First year the code was in force (inclusive); NULL: unknown start.';
COMMENT ON COLUMN region.valid_to IS '代码停用年份（含），空表示仍有效。Last year the code was in force (inclusive); NULL: still in force.';
COMMENT ON COLUMN region.source IS '该行及其有效期的来源。Where the row and its validity come from.';

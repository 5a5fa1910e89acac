-- The store of the 法治政府建设指标看板. Schema version 5.
-- A change to this file bumps SCHEMA_VERSION in store/connection.py and adds a step to its
-- MIGRATIONS, so that an existing database is upgraded, never rebuilt.

-- The months a period spans, 'first-last': 上半年 and 1-6月 both span '1-6'. Two figures
-- compare only when their spans are equal (the like-period rule, queries/sql.py).
CREATE OR REPLACE MACRO period_span(p) AS CASE
    WHEN p = '全年' THEN '1-12'
    WHEN p = '上半年' THEN '1-6'
    WHEN p = '前三季度' THEN '1-9'
    WHEN regexp_matches(p, '^第[1-4]季度$') THEN
        CAST(3 * CAST(regexp_extract(p, '^第([1-4])季度$', 1) AS INTEGER) - 2 AS VARCHAR) || '-'
        || CAST(3 * CAST(regexp_extract(p, '^第([1-4])季度$', 1) AS INTEGER) AS VARCHAR)
    WHEN regexp_matches(p, '^1-[0-9]+月$') THEN '1-' || regexp_extract(p, '^1-([0-9]+)月$', 1)
END;

-- The month a period ends in, for ordering periods within a year.
CREATE OR REPLACE MACRO period_end_month(p) AS CAST(split_part(period_span(p), '-', 2) AS INTEGER);

CREATE TABLE IF NOT EXISTS meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

-- ../shared/interchange.md "Regions": the catalog, each region under its parent.
CREATE TABLE IF NOT EXISTS regions (
    id         VARCHAR PRIMARY KEY,
    name       VARCHAR NOT NULL,
    level      VARCHAR NOT NULL,          -- 地级市 | 区县 | 街道
    parent_id  VARCHAR,
    aliases    VARCHAR[] NOT NULL,
    sort_order INTEGER NOT NULL
);

-- First-level headings of the national 市县法治政府建设示范指标体系 (2021).
CREATE TABLE IF NOT EXISTS categories (
    id         VARCHAR PRIMARY KEY,
    name       VARCHAR NOT NULL,
    sort_order INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS indicators (
    id            VARCHAR PRIMARY KEY,
    name          VARCHAR NOT NULL,
    aliases       VARCHAR[] NOT NULL,
    name_en       VARCHAR,
    category_id   VARCHAR NOT NULL,
    subcategory   VARCHAR,
    unit          VARCHAR NOT NULL,       -- canonical unit: every stored value is in it
    type          VARCHAR NOT NULL,       -- 流量 | 存量 | 比率 | 增长率
    direction     VARCHAR NOT NULL,       -- higher_better | lower_better | neutral
    definition    VARCHAR,
    source        VARCHAR,
    origin        VARCHAR NOT NULL,       -- catalog (indicators/catalog.yaml) | import (created by an upload)
    created_batch INTEGER,
    sort_order    INTEGER NOT NULL
);

-- The archive of record: the seed reports in data/sources/.
CREATE TABLE IF NOT EXISTS sources (
    id        VARCHAR PRIMARY KEY,
    title     VARCHAR NOT NULL,
    publisher VARCHAR,
    published DATE,
    file      VARCHAR,
    note      VARCHAR
);

-- One batch per write: the curated load, each import, each undo. The original file's
-- bytes are kept so the database can be rebuilt by replaying the batches.
CREATE TABLE IF NOT EXISTS batches (
    id          INTEGER PRIMARY KEY,
    kind        VARCHAR NOT NULL,         -- curated | import | undo
    user_name   VARCHAR,
    created_at  TIMESTAMP NOT NULL,
    file_name   VARCHAR,
    file_sha256 VARCHAR,
    file_bytes  BLOB,
    options     VARCHAR,                  -- JSON of the import options (sheet, region, ...)
    n_new       INTEGER NOT NULL,
    n_changed   INTEGER NOT NULL,
    n_unchanged INTEGER NOT NULL,
    undoes      INTEGER,                  -- for kind undo: the batch it rolled back
    undone_by   INTEGER,                  -- set when an undo batch rolled this one back
    note        VARCHAR
);

-- One figure, keyed as in ../shared/interchange.md "Observations" and "Breakdowns": a
-- seventh key part, breakdown (分项: 公安, 土地 … a form's 案件类别), is '' for the total and
-- names the part otherwise; a part is never summed into, ranked with or compared against
-- the total. value is in the
-- indicator's canonical unit; value_text/unit_text keep the figure as it was written.
-- Rows are kept in key order, indicator first (store/batches.py appends each batch sorted;
-- store.keep_clustered rewrites the table when batches interleave): a query on one
-- indicator then reads one or two row groups, the others skipped by their min/max.
CREATE TABLE IF NOT EXISTS observations (
    indicator_id VARCHAR NOT NULL,
    region_id    VARCHAR NOT NULL,
    scope        VARCHAR NOT NULL,        -- '' = the whole region (全区 / 全市)
    year         SMALLINT NOT NULL,
    period       VARCHAR NOT NULL,        -- 全年 | 上半年 | 前三季度 | 第N季度 | 1-N月
    kind         VARCHAR NOT NULL,        -- 实际 | 目标
    breakdown    VARCHAR NOT NULL DEFAULT '',  -- '' = the total; otherwise the part (分项)
    span         VARCHAR NOT NULL,        -- period_span(period), stored for the like-period join
    end_month    INTEGER NOT NULL,        -- period_end_month(period), stored: ordering reads no regex
    value        DOUBLE NOT NULL,
    qualifier    VARCHAR NOT NULL,        -- '' | 约 | 近 | 余 | 超过 | 以上 | 不足 | 推算
    value_text   VARCHAR,
    unit_text    VARCHAR,
    source_id    VARCHAR,                 -- a seed report, or NULL for an upload
    source_label VARCHAR,                 -- the document title or the uploaded file name
    sentence     VARCHAR,
    note         VARCHAR,
    sheet        VARCHAR,
    cell         VARCHAR,
    batch_id     INTEGER NOT NULL,
    PRIMARY KEY (indicator_id, region_id, scope, year, period, kind, breakdown)
);

-- Every value a batch inserted or replaced, with the full row it replaced, so that no
-- value is ever lost and an undo restores exactly what was there.
CREATE TABLE IF NOT EXISTS observation_history (
    batch_id         INTEGER NOT NULL,
    action           VARCHAR NOT NULL,    -- insert | update | delete
    indicator_id     VARCHAR NOT NULL,
    region_id        VARCHAR NOT NULL,
    scope            VARCHAR NOT NULL,
    year             SMALLINT NOT NULL,
    period           VARCHAR NOT NULL,
    kind             VARCHAR NOT NULL,
    breakdown        VARCHAR NOT NULL DEFAULT '',
    old_value        DOUBLE,
    old_qualifier    VARCHAR,
    old_value_text   VARCHAR,
    old_unit_text    VARCHAR,
    old_source_id    VARCHAR,
    old_source_label VARCHAR,
    old_sentence     VARCHAR,
    old_note         VARCHAR,
    old_sheet        VARCHAR,
    old_cell         VARCHAR,
    old_batch_id     INTEGER,
    new_value        DOUBLE,
    new_qualifier    VARCHAR
);

-- indicators/derived.yaml as store/reference.write_reference last wrote it: each derived
-- indicator is numerator ÷ denominator × multiplier.
CREATE TABLE IF NOT EXISTS derived_indicators (
    id          VARCHAR PRIMARY KEY,
    numerator   VARCHAR NOT NULL,
    denominator VARCHAR NOT NULL,
    multiplier  DOUBLE NOT NULL
);

-- The derived indicators' figures, recomputed from observations inside the transaction of
-- every write (store/derived.py; those whose numerator or denominator it wrote), so that no
-- query computes a ratio.
CREATE TABLE IF NOT EXISTS derived_observations (
    indicator_id VARCHAR NOT NULL,
    region_id    VARCHAR NOT NULL,
    scope        VARCHAR NOT NULL,
    year         SMALLINT NOT NULL,
    period       VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,
    breakdown    VARCHAR NOT NULL,        -- the same part on both sides of the ratio
    span         VARCHAR NOT NULL,
    end_month    INTEGER NOT NULL,
    value        DOUBLE NOT NULL,
    qualifier    VARCHAR NOT NULL,        -- always 推算
    note         VARCHAR NOT NULL         -- the computation, in words
);

-- Counts kept with derived_observations (a write recounts the indicators and regions it
-- wrote), for the choosers, 指标说明 and the region list.
CREATE TABLE IF NOT EXISTS indicator_stats (
    indicator_id   VARCHAR NOT NULL,
    n_observations BIGINT NOT NULL,       -- stored and derived figures
    n_stored       BIGINT NOT NULL,       -- stored figures only
    first_year     SMALLINT NOT NULL,
    last_year      SMALLINT NOT NULL
);

CREATE TABLE IF NOT EXISTS region_stats (
    region_id      VARCHAR NOT NULL,
    n_observations BIGINT NOT NULL,       -- stored figures only
    n_targets      BIGINT NOT NULL        -- targets, stored or derived
);

-- Stored figures per indicator and year, kept by every write (store/derived.py): 数据与来源
-- counts its figures by year, and finds which indicators its first rows come from, without
-- counting millions of rows, when no region, type or text is chosen (version 7).
CREATE TABLE IF NOT EXISTS indicator_year_stats (
    indicator_id VARCHAR NOT NULL,
    year         SMALLINT NOT NULL,
    n_stored     BIGINT NOT NULL
);

-- One region's figures together: the columns of observations_all that the pages read for
-- one region (总览's cards and 简报要点, 目标进度), in region order. observations is
-- clustered by indicator, so one region's ~1,000 figures lie in ~100 runs across every row
-- group of it; here they are one run. Kept by every write for the regions it touched
-- (store/derived.py _refresh_region_figures; version 5).
CREATE TABLE IF NOT EXISTS region_figures (
    region_id    VARCHAR NOT NULL,
    indicator_id VARCHAR NOT NULL,
    scope        VARCHAR NOT NULL,
    year         SMALLINT NOT NULL,
    period       VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,
    breakdown    VARCHAR NOT NULL,
    span         VARCHAR NOT NULL,
    end_month    INTEGER NOT NULL,
    value        DOUBLE NOT NULL,
    qualifier    VARCHAR NOT NULL,
    source_id    VARCHAR,
    source_label VARCHAR,
    sentence     VARCHAR,
    note         VARCHAR,
    derived      BOOLEAN NOT NULL
);

-- What 地区对比's choosers need of one indicator (queries.sql.coverage_summary): per region
-- level, scope, kind, year and span of its totals, the period named first (of the first
-- region in catalog order), the latest month, how many figures and whether two regions or
-- more have one; where two or more do, of region-wide actual figures, 地区对比 can rank.
-- Kept by every write for the indicators it touched (store/derived.py): grouped from the
-- figures on each visit, it took 13 ms at 3M observations (version 8, replacing version 6's
-- comparable_slices).
CREATE TABLE IF NOT EXISTS indicator_coverage (
    indicator_id    VARCHAR NOT NULL,
    level           VARCHAR NOT NULL,
    scope           VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL,
    year            SMALLINT NOT NULL,
    span            VARCHAR NOT NULL,
    period          VARCHAR NOT NULL,
    end_month       INTEGER NOT NULL,
    n               BIGINT NOT NULL,
    several_regions BOOLEAN NOT NULL
);

-- Collection rounds (数据征集): each time a round's workbooks were generated, for which
-- year, regions and indicators, and by whom (store/collection.py; version 4).
CREATE TABLE IF NOT EXISTS collection_rounds (
    id            INTEGER PRIMARY KEY,
    collection_id VARCHAR NOT NULL,       -- indicators/collections/<id>.yaml
    year          SMALLINT NOT NULL,
    region_ids    VARCHAR[] NOT NULL,
    indicator_ids VARCHAR[] NOT NULL,
    user_name     VARCHAR,
    created_at    TIMESTAMP NOT NULL
);

-- Stored figures plus the derived ones: what every page reads (totals: breakdown = '').
CREATE OR REPLACE VIEW observations_all AS
SELECT indicator_id, region_id, scope, year, period, span, end_month, kind, value, qualifier, value_text,
       unit_text, source_id, source_label, sentence, note, sheet, cell, batch_id, false AS derived, breakdown
FROM observations
UNION ALL
SELECT indicator_id, region_id, scope, year, period, span, end_month, kind, value, qualifier, NULL, NULL, NULL,
       NULL, NULL, note, NULL, NULL, NULL, true, breakdown
FROM derived_observations;

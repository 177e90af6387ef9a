-- The local shop database that cdc captures: the part of gmall's schema (gmall.sql) that the business
-- stream uses. Reference data is in shop-seed.sql (loaded by `scripts/stack.sh services`, once cdc runs);
-- shop-sim --shop-db writes users, orders and their changes.
-- order_status: 1001 unpaid, 1002 paid, 1003 cancelled, 1004 finished, 1005 refunding, 1006 refunded.
CREATE DATABASE IF NOT EXISTS gmall;

CREATE TABLE IF NOT EXISTS gmall.base_province (
  id BIGINT PRIMARY KEY,
  name VARCHAR(20),
  region_id VARCHAR(20),
  area_code VARCHAR(20),
  iso_code VARCHAR(20),
  iso_3166_2 VARCHAR(20)
);

CREATE TABLE IF NOT EXISTS gmall.base_category1 (
  id BIGINT PRIMARY KEY,
  name VARCHAR(10) NOT NULL
);

CREATE TABLE IF NOT EXISTS gmall.base_category2 (
  id BIGINT PRIMARY KEY,
  name VARCHAR(200) NOT NULL,
  category1_id BIGINT
);

CREATE TABLE IF NOT EXISTS gmall.base_category3 (
  id BIGINT PRIMARY KEY,
  name VARCHAR(200) NOT NULL,
  category2_id BIGINT
);

CREATE TABLE IF NOT EXISTS gmall.base_trademark (
  id BIGINT PRIMARY KEY,
  tm_name VARCHAR(100) NOT NULL
);

CREATE TABLE IF NOT EXISTS gmall.spu_info (
  id BIGINT PRIMARY KEY,
  spu_name VARCHAR(200),
  category3_id BIGINT,
  tm_id BIGINT
);

CREATE TABLE IF NOT EXISTS gmall.sku_info (
  id BIGINT PRIMARY KEY,
  spu_id BIGINT,
  price DECIMAL(10,0),
  sku_name VARCHAR(200),
  tm_id BIGINT,
  category3_id BIGINT,
  create_time DATETIME
);

CREATE TABLE IF NOT EXISTS gmall.user_info (
  id BIGINT PRIMARY KEY,
  login_name VARCHAR(200),
  name VARCHAR(200),
  gender VARCHAR(1),
  birthday DATE,
  user_level VARCHAR(200),
  create_time DATETIME,
  operate_time DATETIME
);

CREATE TABLE IF NOT EXISTS gmall.order_info (
  id BIGINT PRIMARY KEY,
  consignee VARCHAR(100),
  user_id BIGINT,
  province_id INT,
  order_status VARCHAR(20),
  total_amount DECIMAL(16,2),
  original_total_amount DECIMAL(16,2),
  activity_reduce_amount DECIMAL(16,2),
  coupon_reduce_amount DECIMAL(16,2),
  feight_fee DECIMAL(16,2),
  create_time DATETIME,
  operate_time DATETIME
);

CREATE TABLE IF NOT EXISTS gmall.order_detail (
  id BIGINT PRIMARY KEY,
  order_id BIGINT,
  sku_id BIGINT,
  sku_name VARCHAR(200),
  order_price DECIMAL(10,2),
  sku_num BIGINT,
  create_time DATETIME,
  split_total_amount DECIMAL(16,2),
  split_activity_amount DECIMAL(16,2),
  split_coupon_amount DECIMAL(16,2),
  KEY (order_id)
);

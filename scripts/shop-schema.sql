-- The local shop database that cdc captures (a small part of the gmall schema).
CREATE DATABASE IF NOT EXISTS gmall;
CREATE TABLE IF NOT EXISTS gmall.order_info (
  id BIGINT PRIMARY KEY,
  user_id BIGINT NOT NULL,
  total_amount DECIMAL(16,2) NOT NULL,
  order_status VARCHAR(20) NOT NULL,
  create_time DATETIME NOT NULL,
  operate_time DATETIME NULL
);
CREATE TABLE IF NOT EXISTS gmall.order_detail (
  id BIGINT PRIMARY KEY,
  order_id BIGINT NOT NULL,
  sku_id BIGINT NOT NULL,
  sku_name VARCHAR(200) NOT NULL,
  order_price DECIMAL(10,2) NOT NULL,
  sku_num INT NOT NULL,
  create_time DATETIME NOT NULL,
  KEY (order_id)
);

-- segsim per-customer stats (BigQuery) from `cdnow`, as of 1998-07-01:
-- one row per customer, read with the row rules of segsim's import.
WITH
-- Every row as the import reads it.
lines AS (
  SELECT
    TRIM(CAST(`customer_id` AS STRING)) AS customer_id,
    CAST(`date` AS DATETIME) AS line_time,
    -- money in cents, rounded half away from zero (NUMERIC: 9 decimals)
    ROUND(CAST(`amount` AS NUMERIC), 2) AS amount,
    0 AS refund,
    0 AS discount,
    CAST(NULL AS STRING) AS channel
  FROM `cdnow`
),
-- The rows the import keeps: a customer, a date and an amount (a row
-- with no amount is a further line item of an order, and adds nothing).
kept AS (
  SELECT
    l.*,
    CAST(l.line_time AS DATE) AS line_day,
    'sale' AS status_class
  FROM lines l
  WHERE l.customer_id <> '' AND l.line_time IS NOT NULL AND l.amount IS NOT NULL
),
-- What each row before the as-of date counts as: a sale, a refund line
-- (a negative amount, netted from revenue) or nothing.
classified AS (
  SELECT
    customer_id, CAST(NULL AS STRING) AS order_id, line_time, line_day, discount, channel,
    CASE
      WHEN status_class = 'unpaid' THEN 'out'
      WHEN amount < 0 THEN 'refund'
      WHEN status_class = 'returned' THEN 'out'
      WHEN refund > 0 AND amount > 0 AND refund >= amount THEN 'out'
      ELSE 'sale'
    END AS kind,
    -- a partial refund nets the line
    CASE WHEN refund > 0 AND amount > 0 AND refund < amount THEN amount - refund ELSE amount END AS net_amount
  FROM kept
  WHERE line_day < DATE '1998-07-01'
),
sales AS (SELECT * FROM classified WHERE kind = 'sale'),
-- Orders: the lines of one order id are one order, dated by its first line.
merged_orders AS (
  SELECT customer_id, line_day AS order_day, net_amount AS order_amount, discount AS order_discount FROM sales
),
order_stats AS (
  SELECT
    customer_id,
    MIN(order_day) AS first_date,
    MAX(order_day) AS last_date,
    COUNT(*) AS orders,
    COUNT(DISTINCT order_day) AS purchase_days,
    SUM(order_amount) AS order_revenue,
    MAX(order_amount) AS max_order,
    SUM(order_discount) AS discount,
    COUNT(CASE WHEN order_discount > 0 THEN 1 END) AS discount_orders,
    COUNT(CASE WHEN order_discount > 0 AND order_discount >= 0.5 * (order_amount + order_discount) THEN 1 END) AS heavy_orders,
    COUNT(CASE WHEN EXTRACT(DAYOFWEEK FROM order_day) IN (1, 7) THEN 1 END) AS weekend_orders
  FROM merged_orders
  GROUP BY customer_id
),
refund_stats AS (
  SELECT customer_id, SUM(net_amount) AS refunds, COUNT(*) AS refund_lines
  FROM classified WHERE kind = 'refund'
  GROUP BY customer_id
),
-- Distinct purchase days and the gap in days before each.
buy_days AS (
  SELECT
    customer_id,
    DATE_DIFF(order_day, LAG(order_day) OVER (PARTITION BY customer_id ORDER BY order_day), DAY) AS gap,
    ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY order_day DESC) AS from_last
  FROM (SELECT DISTINCT customer_id, order_day FROM merged_orders) d
),
ranked_gaps AS (
  SELECT
    customer_id, gap, from_last,
    ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY gap) AS k,
    COUNT(*) OVER (PARTITION BY customer_id) AS n
  FROM buy_days
  WHERE gap IS NOT NULL
),
gap_stats AS (
  SELECT
    customer_id,
    -- the middle gap, or the mean of the two middle gaps
    AVG(CASE WHEN 2 * k BETWEEN n AND n + 2 THEN gap END) AS median_gap,
    MAX(CASE WHEN from_last = 1 THEN gap END) AS last_gap
  FROM ranked_gaps
  GROUP BY customer_id
),
-- The first sale line (its channel), and the sales after the first day.
ranked_sales AS (
  SELECT
    customer_id, line_day, net_amount, channel,
    ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY line_time, order_id NULLS LAST, channel NULLS LAST) AS k,
    MIN(line_day) OVER (PARTITION BY customer_id) AS first_day
  FROM sales
),
first_stats AS (
  SELECT
    customer_id,
    MAX(CASE WHEN k = 1 THEN channel END) AS first_channel,
    SUM(CASE WHEN line_day > first_day THEN net_amount ELSE 0 END) AS repeat_revenue
  FROM ranked_sales
  GROUP BY customer_id
)
SELECT
  o.customer_id,
  o.first_date,
  o.last_date,
  o.orders,
  o.purchase_days,
  FORMAT('%.2f', o.order_revenue + COALESCE(r.refunds, 0)) AS revenue,
  FORMAT('%.2f', o.max_order) AS max_order,
  FORMAT('%.1f', g.median_gap) AS median_gap,
  g.last_gap,
  FORMAT('%.2f', o.discount) AS discount,
  o.discount_orders,
  o.heavy_orders,
  o.weekend_orders,
  COALESCE(r.refund_lines, 0) AS refund_lines,
  f.first_channel,
  FORMAT('%.2f', f.repeat_revenue) AS repeat_revenue
FROM order_stats o
LEFT JOIN refund_stats r ON r.customer_id = o.customer_id
LEFT JOIN gap_stats g ON g.customer_id = o.customer_id
JOIN first_stats f ON f.customer_id = o.customer_id
ORDER BY o.customer_id

-- segsim per-customer stats (ClickHouse) from {{.Table}}, as of {{.AsOf}}:
-- one row per customer, read with the row rules of segsim's import.
WITH
-- Every row as the import reads it.
lines AS (
  SELECT
    TRIM(toString({{.Customer}})) AS customer_id,
{{- if .Order}}
    NULLIF(TRIM(toString({{.Order}})), '') AS order_id,
{{- end}}
    -- times and amounts read from their text: an empty string is no value
{{- if .PaidAt}}
    -- the payment time where there is one, else the order time
    COALESCE(parseDateTime64BestEffortOrNull(toString({{.PaidAt}})), parseDateTime64BestEffortOrNull(toString({{.Date}}))) AS line_time,
{{- else}}
    parseDateTime64BestEffortOrNull(toString({{.Date}})) AS line_time,
{{- end}}
    -- money in cents, rounded half away from zero
    round(toDecimal128OrNull(toString({{.Amount}}), 6), 2) AS amount,
    {{if .Refund}}ABS(round(toDecimal128OrNull(toString({{.Refund}}), 6), 2)){{else}}0{{end}} AS refund,
    {{if .Discount}}COALESCE(ABS(round(toDecimal128OrNull(toString({{.Discount}}), 6), 2)), 0){{else}}0{{end}} AS discount,
{{- if .Status}}
    lowerUTF8(TRIM(toString({{.Status}}))) AS status,
{{- end}}
    {{if .Channel}}TRIM(toString({{.Channel}})){{else}}NULL{{end}} AS channel
  FROM {{.Table}}
),
{{- if .Status}}
-- Each status once, classified by its words, tried in this order: a
-- partial refund is a sale, then unpaid, then returned.
status_classes AS (
  SELECT
    status,
    CASE
      WHEN {{range $i, $w := .Partial}}{{if $i}}
        OR {{end}}position(status, {{$w}}) > 0{{end}}
        THEN 'sale'
      WHEN {{range $i, $w := .Unpaid}}{{if $i}}
        OR {{end}}position(status, {{$w}}) > 0{{end}}
        THEN 'unpaid'
      WHEN {{range $i, $w := .Returned}}{{if $i}}
        OR {{end}}position(status, {{$w}}) > 0{{end}}
        THEN 'returned'
      ELSE 'sale'
    END AS status_class
  FROM (SELECT DISTINCT status FROM lines) s
),
{{- end}}
-- The rows the import keeps: a customer, a date and an amount (a row
-- with no amount is a further line item of an order, and adds nothing).
kept AS (
  SELECT
    l.*,
    toDate(l.line_time) AS line_day,
    {{if .Status}}COALESCE(s.status_class, 'sale'){{else}}'sale'{{end}} AS status_class
  FROM lines l
{{- if .Status}}
  LEFT JOIN status_classes s ON s.status = l.status
{{- end}}
  WHERE l.customer_id <> '' AND l.line_time IS NOT NULL AND l.amount IS NOT NULL
),
{{- if .Order}}
-- Order ids C + digits are cancellations when at least half the rows the
-- import keeps (further line items included) have ids of digits only.
c_invoices AS (
  SELECT 2 * COUNT(CASE WHEN amount IS NOT NULL AND match(order_id, '^[0-9]+$') THEN 1 END) >= COUNT(*) AS numeric_ids
  FROM lines
  WHERE (customer_id <> '' AND line_time IS NOT NULL AND amount IS NOT NULL)
     OR (amount IS NULL AND order_id IS NOT NULL)
),
{{- end}}
-- What each row before the as-of date counts as: a sale, a refund line
-- (a negative amount, netted from revenue) or nothing.
classified AS (
  SELECT
    customer_id, {{if .Order}}order_id{{else}}NULL AS order_id{{end}}, line_time, line_day, discount, channel,
    CASE
      WHEN status_class = 'unpaid' THEN 'out'
      WHEN amount < 0 THEN 'refund'
      WHEN status_class = 'returned' THEN 'out'
      WHEN refund > 0 AND amount > 0 AND refund >= amount THEN 'out'
{{- if .Order}}
      WHEN (SELECT numeric_ids FROM c_invoices) AND match(order_id, '^[Cc][0-9]+$') THEN 'out'
{{- end}}
      ELSE 'sale'
    END AS kind,
    -- a partial refund nets the line
    CASE WHEN refund > 0 AND amount > 0 AND refund < amount THEN amount - refund ELSE amount END AS net_amount
  FROM kept
  WHERE line_day < toDate('{{.AsOf}}')
),
sales AS (SELECT * FROM classified WHERE kind = 'sale'),
-- Orders: the lines of one order id are one order, dated by its first line.
merged_orders AS (
{{- if .Order}}
  SELECT customer_id, MIN(line_day) AS order_day, SUM(net_amount) AS order_amount, SUM(discount) AS order_discount
  FROM sales WHERE order_id IS NOT NULL
  GROUP BY customer_id, order_id
  UNION ALL
  SELECT customer_id, line_day AS order_day, net_amount AS order_amount, discount AS order_discount FROM sales WHERE order_id IS NULL
{{- else}}
  SELECT customer_id, line_day AS order_day, net_amount AS order_amount, discount AS order_discount FROM sales
{{- end}}
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
    COUNT(CASE WHEN order_discount > 0 AND order_discount >= toDecimal64('{{.Heavy}}', 4) * (order_amount + order_discount) THEN 1 END) AS heavy_orders,
    COUNT(CASE WHEN toDayOfWeek(order_day) IN (6, 7) THEN 1 END) AS weekend_orders
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
    -- lagInFrame is LAG over the whole partition; NULL before the first day
    dateDiff('day', lagInFrame(toNullable(order_day)) OVER (PARTITION BY customer_id ORDER BY order_day
      ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), order_day) AS gap,
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
  toDecimalString(o.order_revenue + COALESCE(r.refunds, 0), 2) AS revenue,
  toDecimalString(o.max_order, 2) AS max_order,
  toDecimalString(toDecimal64(g.median_gap, 1), 1) AS median_gap,
  g.last_gap,
  toDecimalString(o.discount, 2) AS discount,
  o.discount_orders,
  o.heavy_orders,
  o.weekend_orders,
  COALESCE(r.refund_lines, 0) AS refund_lines,
  f.first_channel,
  toDecimalString(f.repeat_revenue, 2) AS repeat_revenue
FROM order_stats o
LEFT JOIN refund_stats r ON r.customer_id = o.customer_id
LEFT JOIN gap_stats g ON g.customer_id = o.customer_id
JOIN first_stats f ON f.customer_id = o.customer_id
ORDER BY o.customer_id
-- a LEFT JOIN's missing side is NULL, not the type's default
SETTINGS join_use_nulls = 1

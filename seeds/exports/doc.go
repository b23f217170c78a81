// Package exports generates a corpus of realistic order exports, one per
// shape an operator meets (Excel saves in GBK, UTF-16 and Windows-1252,
// workbooks, Taobao, 有赞, 抖店, 京东, 拼多多, Shopify, WooCommerce, the UCI
// Online Retail file, mixed date and amount spellings), each with the
// per-customer answer segsim score must give for it with no flags.
//
// The answer is computed from the generator's own ground truth (the
// Order and retail line structs it draws), never by reading the written
// bytes back, under the product's documented rules:
//
//   - an order counts when its status says it was paid and not cancelled,
//     closed, voided or refunded in full, and, where the file has a
//     refund column, its refund is less than what was paid;
//   - its day is the payment day when the file has a payment-time column
//     with a value, else the creation day, as written (a time of day or a
//     UTC offset never moves it);
//   - its value is the paid amount (never the pre-discount total) less
//     the refund column; refund lines (negative amounts, UCI C invoices)
//     reduce revenue but are not orders;
//   - frequency counts orders, monetary sums values to the cent (the UCI
//     file sums exact line values and rounds once per customer, half
//     away from zero).
//
// Every file draws from its own PCG stream seeded from its name, so the
// corpus is the same bytes on every run. See README.md for the files.
package exports

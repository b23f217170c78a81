// Package predict fits buy-till-you-die models to per-customer purchase
// summaries and turns them into forward-looking numbers: the probability that
// a customer is still active, expected future purchases, expected spend per
// purchase and discounted customer lifetime value.
//
// Two models are provided:
//
//   - BG/NBD (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy
//     Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2)),
//     fitted by maximum likelihood on frequency, recency and age (x, t_x, T).
//   - Gamma-Gamma (Fader, Hardie & Lee 2005, "RFM and CLV: Using Iso-Value
//     Curves for Customer Base Analysis", Journal of Marketing Research 42(4);
//     Fader & Hardie 2013, "The Gamma-Gamma Model of Monetary Value"),
//     fitted on the mean repeat-purchase value of repeat buyers.
//
// The package works on plain per-customer slices (see Summary) and depends
// only on the standard library and gonum, so it compiles for GOOS=js
// GOARCH=wasm. Likelihoods are maximised with gonum's optimize package in
// log-parameter space using analytic gradients.
//
// Time is measured in a Unit chosen by the caller (days or weeks); every
// time argument of a fitted model is in the unit the model was fitted in.
package predict

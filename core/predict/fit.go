package predict

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
	"gonum.org/v1/gonum/stat/distuv"
)

// FitOptions tunes a maximum-likelihood fit. The zero value selects the
// defaults.
type FitOptions struct {
	// Initial, when non-nil, is the starting point in natural parameters
	// (r, α, a, b for BG/NBD). All entries must be positive.
	Initial []float64

	// MaxIterations caps the optimiser's major iterations. Default 500.
	MaxIterations int

	// GradientTol is the convergence threshold on the infinity norm of the
	// gradient of the mean per-customer negative log-likelihood with respect
	// to the log parameters. Default 1e-8.
	GradientTol float64
}

func (o FitOptions) withDefaults() FitOptions {
	if o.MaxIterations <= 0 {
		o.MaxIterations = 500
	}
	if !(o.GradientTol > 0) {
		o.GradientTol = 1e-8
	}
	return o
}

// FitReport describes how a fit went.
type FitReport struct {
	Method          string        // optimisation method, e.g. "BFGS"
	Status          string        // gonum optimize termination status, with the optimiser's error if any
	Converged       bool          // whether a maximum was reached
	Iterations      int           // major iterations
	FuncEvaluations int           // likelihood evaluations
	LogLikelihood   float64       // total log-likelihood at the estimate
	GradNorm        float64       // infinity norm of the mean log-likelihood gradient in log parameters
	Customers       int           // customers that entered the likelihood
	Groups          int           // distinct patterns the likelihood was evaluated on
	Runtime         time.Duration // wall time of the optimisation
	// StdErr holds the parameters' standard errors (natural scale, in
	// parameter order) from the observed information at the estimate;
	// nil when it could not be computed (see stdErrors). LogCov is the
	// covariance of the log parameters it comes from, for DeltaInterval.
	StdErr []float64
	LogCov [][]float64
}

// objective evaluates a mean negative log-likelihood and its gradient with
// respect to the log parameters, writing the gradient into grad.
type objective func(grad, logParams []float64) float64

// cachedObjective adapts an objective that computes value and gradient in one
// pass to gonum's separate Func and Grad callbacks, which Minimize calls in
// turn at the same location.
type cachedObjective struct {
	eval    objective
	x, grad []float64
	f       float64
	valid   bool
}

func (c *cachedObjective) update(x []float64) {
	if c.valid && floats.Equal(x, c.x) {
		return
	}
	c.f = c.eval(c.grad, x)
	copy(c.x, x)
	c.valid = true
}

// maxLogParam bounds |log θ| during the search; beyond it exp overflows or
// the model is numerically degenerate, so the objective reports +Inf and the
// line search backs off.
const maxLogParam = 30

// maxLogEstimate bounds |log θ| of an accepted estimate: a parameter
// outside [10⁻⁶, 10⁶] means the likelihood increases towards the boundary of
// the parameter space (for BG/NBD, for example, a, b → 0 when every
// customer looks either immortal or gone), and the data do not identify the
// model.
var maxLogEstimate = math.Log(1e6)

// maxStall is the number of consecutive objective calls (value or
// gradient) without a new best value after which a run is stopped.
const maxStall = 100

var (
	// errNaNStep reports a breakdown of the quasi-Newton update.
	errNaNStep = errors.New("optimiser proposed a NaN location")
	// errStalled reports maxStall evaluations without improvement.
	errStalled = errors.New("no improvement in the last evaluations")
)

// minimize runs BFGS from the natural-scale starting point start and returns
// the natural-scale estimate with a report. Converged is true when the
// gradient test passed, or when the search could make no further progress
// at a point whose gradient is within 1e3·GradientTol (the usual way
// quasi-Newton methods end at machine precision). An estimate on the
// boundary of the parameter space is reported with ErrDegenerate, any other
// early stop with ErrNotConverged; in both cases the last iterate is
// returned.
func minimize(eval objective, start []float64, opts FitOptions) ([]float64, FitReport, error) {
	n := len(start)
	x0 := make([]float64, n)
	for i, v := range start {
		if !(v > 0) || math.IsInf(v, 0) {
			return nil, FitReport{}, fmt.Errorf("%w: starting parameter %d = %g must be positive and finite", ErrInvalidInput, i, v)
		}
		x0[i] = math.Log(v)
	}
	bounded := func(grad, x []float64) float64 {
		for _, v := range x {
			if math.Abs(v) > maxLogParam {
				for i := range grad {
					grad[i] = math.NaN()
				}
				return math.Inf(1)
			}
		}
		f := eval(grad, x)
		if math.IsNaN(f) {
			return math.Inf(1)
		}
		return f
	}
	c := &cachedObjective{eval: bounded, x: make([]float64, n), grad: make([]float64, n)}
	// Two safeguards end runs that gonum's line search would not: a
	// quasi-Newton update can break down (for example when the likelihood is
	// flat along a ray to the boundary) and propose a NaN location, and near
	// the optimum rounding can keep the line search probing without ever
	// improving. Either stops the run through Problem.Status.
	var (
		stopErr   error
		bestF     = math.Inf(1)
		sinceBest int
	)
	at := func(x []float64) {
		if stopErr == nil && floats.HasNaN(x) {
			stopErr = errNaNStep
		}
		// Every call counts: a stuck line search may ask for the same
		// location again and again.
		c.update(x)
		if c.f < bestF {
			bestF, sinceBest = c.f, 0
		} else if sinceBest++; sinceBest >= maxStall && stopErr == nil {
			stopErr = errStalled
		}
	}
	problem := optimize.Problem{
		Func: func(x []float64) float64 { at(x); return c.f },
		Grad: func(grad, x []float64) { at(x); copy(grad, c.grad) },
		Status: func() (optimize.Status, error) {
			if stopErr != nil {
				return optimize.Failure, stopErr
			}
			return optimize.NotTerminated, nil
		},
	}
	settings := &optimize.Settings{
		GradientThreshold: opts.GradientTol,
		MajorIterations:   opts.MaxIterations,
		FuncEvaluations:   20 * opts.MaxIterations,
		Converger:         &optimize.FunctionConverge{Absolute: 1e-15, Relative: 1e-15, Iterations: 50},
	}
	res, err := optimize.Minimize(problem, x0, settings, &optimize.BFGS{Linesearcher: &optimize.MoreThuente{}})
	if res == nil {
		return nil, FitReport{}, fmt.Errorf("predict: optimisation failed: %w", err)
	}
	grad := make([]float64, n)
	f := bounded(grad, res.X)
	gnorm := floats.Norm(grad, math.Inf(1))
	est := make([]float64, n)
	for i, v := range res.X {
		est[i] = math.Exp(v)
	}
	rep := FitReport{
		Method:          "BFGS",
		Status:          res.Status.String(),
		Iterations:      res.MajorIterations,
		FuncEvaluations: res.FuncEvaluations,
		LogLikelihood:   -f,
		GradNorm:        gnorm,
		Runtime:         res.Runtime,
	}
	if err != nil {
		rep.Status += ": " + err.Error()
	}
	switch {
	case math.IsInf(f, 0) || math.IsNaN(gnorm):
		err = fmt.Errorf("%w: likelihood not finite at the estimate (status %s)", ErrNotConverged, res.Status)
	case slices.ContainsFunc(res.X, func(v float64) bool { return math.Abs(v) > maxLogEstimate }):
		err = fmt.Errorf("%w: estimate %.3g", ErrDegenerate, est)
	case err == nil && !res.Status.Early():
		rep.Converged = true
	case gnorm <= 1e3*opts.GradientTol && (err == nil || errors.Is(err, errStalled) ||
		errors.Is(err, optimize.ErrNoProgress) || errors.Is(err, optimize.ErrLinesearcherFailure)):
		rep.Converged = true
		err = nil
	case err != nil:
		err = fmt.Errorf("%w: status %s, gradient norm %.3g: %w", ErrNotConverged, res.Status, gnorm, err)
	default:
		err = fmt.Errorf("%w: status %s, gradient norm %.3g", ErrNotConverged, res.Status, gnorm)
	}
	return est, rep, err
}

// stdErrors returns the standard errors of the natural parameters exp(θ)
// at the estimate est (natural scale) of a fit whose objective is the mean
// negative log-likelihood over n customers in log parameters θ. The
// observed information is n times the Jacobian of the analytic gradient,
// by central differences (gonum's fd.Jacobian), made symmetric; its
// inverse is the covariance of θ, and the delta method gives
// se(exp θ_i) = exp(θ_i)·se(θ_i). Nil when the information is not
// positive definite (the estimate is not a proper maximum).
func stdErrors(eval objective, est []float64, n float64) []float64 {
	se, _ := covariance(eval, est, n)
	return se
}

// covariance returns the standard errors and the covariance of the log
// parameters from the observed information at the estimate, or nil.
func covariance(eval objective, est []float64, n float64) ([]float64, [][]float64) {
	k := len(est)
	theta := make([]float64, k)
	for i, v := range est {
		theta[i] = math.Log(v)
	}
	jac := mat.NewDense(k, k, nil)
	fd.Jacobian(jac, func(grad, x []float64) { eval(grad, x) }, theta, &fd.JacobianSettings{Formula: fd.Central, Step: 1e-5})
	info := mat.NewSymDense(k, nil)
	for i := range k {
		for j := i; j < k; j++ {
			info.SetSym(i, j, n*(jac.At(i, j)+jac.At(j, i))/2)
		}
	}
	var chol mat.Cholesky
	if !chol.Factorize(info) {
		return nil, nil
	}
	var cov mat.SymDense
	if err := chol.InverseTo(&cov); err != nil {
		return nil, nil
	}
	se := make([]float64, k)
	lc := make([][]float64, k)
	for i := range k {
		v := cov.At(i, i)
		if !(v > 0) || math.IsInf(v, 0) {
			return nil, nil
		}
		se[i] = est[i] * math.Sqrt(v)
		lc[i] = make([]float64, k)
		for j := range k {
			lc[i][j] = cov.At(i, j)
		}
	}
	return se, lc
}

// DeltaInterval returns the delta-method interval at the given level of
// a quantity g of the parameters: g(θ̂) ± z·√(∇gᵀ Σ ∇g), with ∇g taken
// by central differences in the log parameters and Σ their covariance
// (FitReport.LogCov). ok is false without a covariance.
func DeltaInterval(g func(params []float64) float64, est []float64, logCov [][]float64, level float64) (lo, hi float64, ok bool) {
	k := len(est)
	if len(logCov) != k {
		return 0, 0, false
	}
	theta := make([]float64, k)
	for i, v := range est {
		theta[i] = math.Log(v)
	}
	at := func(th []float64) float64 {
		p := make([]float64, k)
		for i, v := range th {
			p[i] = math.Exp(v)
		}
		return g(p)
	}
	grad := make([]float64, k)
	fd.Gradient(grad, at, theta, &fd.Settings{Formula: fd.Central, Step: 1e-5})
	v := quadForm(grad, logCov)
	c := g(est)
	if !(v >= 0) {
		return c, c, false
	}
	h := distuv.UnitNormal.Quantile(1-(1-level)/2) * math.Sqrt(v)
	return c - h, c + h, true
}

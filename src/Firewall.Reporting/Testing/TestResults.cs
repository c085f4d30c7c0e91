namespace Firewall.Reporting.Testing;

public enum TestStatus : byte
{
    Passed,

    /// <summary>The case ran and the ruleset did not do what it expected.</summary>
    Failed,

    /// <summary>
    /// The case could not run: its test file did not load, or its capture could not be read. JUnit's
    /// <c>error</c> as opposed to <c>failure</c>, so that a CI gate never reads "0 failures" for a run that
    /// checked nothing.
    /// </summary>
    Error,
}

/// <summary>
/// One test case's outcome. <see cref="Message"/> is the one-line reason of a failure (expected, got,
/// deciding rule) or of an error (what could not be read); <see cref="Details"/> the lines that explain it
/// (hop traces, every load error). Both empty on a pass.
/// </summary>
public sealed record TestCaseResult(
    string Name,
    string Location,
    TestStatus Status,
    string Message,
    IReadOnlyList<string> Details,
    TimeSpan Duration)
{
    public bool Passed => Status == TestStatus.Passed;
}

/// <summary>The results of one test file: one JUnit testsuite.</summary>
public sealed record TestSuiteResult(string File, string Name, IReadOnlyList<TestCaseResult> Cases, TimeSpan Duration)
{
    public int Failures => Cases.Count(c => c.Status == TestStatus.Failed);

    public int Errors => Cases.Count(c => c.Status == TestStatus.Error);

    public int Passes => Cases.Count(c => c.Passed);
}

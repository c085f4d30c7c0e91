namespace Firewall.Reporting.Testing;

public enum TestStatus : byte
{
    Passed,
    Failed,
}

/// <summary>
/// One test case's outcome. <see cref="Message"/> is the one-line reason of a failure (expected, got,
/// deciding rule); <see cref="Details"/> the lines that explain it (hop traces). Both empty on a pass.
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
    public int Failures => Cases.Count(c => !c.Passed);
}

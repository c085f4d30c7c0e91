using Firewall.Tests.Support;

namespace Firewall.Cli.Tests.Support;

/// <summary>A git repository in a directory, driven through the <c>git</c> on PATH; a test using it is skipped without git.</summary>
internal sealed class GitRepository
{
    private static readonly string? Git = ChildProcess.Find("git");

    private readonly string _directory;

    private GitRepository(string directory) => _directory = directory;

    /// <summary><c>git init</c> in <paramref name="directory"/>, with a committer of its own so that no global configuration is needed.</summary>
    public static GitRepository Init(string directory)
    {
        Skip.If(Git is null, "git is not installed");
        var repository = new GitRepository(directory);
        repository.Run("init", "-q", "-b", "main");
        return repository;
    }

    /// <summary>Stages everything and commits it; returns the commit's id.</summary>
    public string CommitAll(string message)
    {
        Run("add", "-A");
        Run("-c", "user.name=Firewall tests", "-c", "user.email=tests@example.invalid", "-c", "commit.gpgsign=false", "commit", "-q", "-m", message);
        return Run("rev-parse", "HEAD").Trim();
    }

    public string Run(params string[] args)
    {
        var (code, output, error) = ChildProcess.Run(Git!, args, _directory);
        Assert.True(code == 0, $"git {string.Join(' ', args)}: exit {code}: {error}");
        return output;
    }
}

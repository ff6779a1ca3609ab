using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace Bakery.Integration.Tests.Permissions;

/// <summary>
/// Records every operation the SDK sends while a step runs. It hooks the SDK's own pipeline of every client made in
/// this process (the registry the X-Ray SDK uses), so the product's clients are recorded as they are, with no seam in
/// product code; an async-local scope says which step a call belongs to, and calls outside a scope are not kept.
/// </summary>
public static class AwsCallRecorder
{
    private static readonly AsyncLocal<Scope?> Current = new();
    private static readonly Lazy<bool> Registered = new(() =>
    {
        RuntimePipelineCustomizerRegistry.Instance.Register(new Customizer());
        return true;
    });

    /// <summary>Starts recording calls made by <paramref name="step"/> on this async flow; dispose to stop.</summary>
    /// <remarks>Clients must be made after the first call (the registry customizes clients as they are built).</remarks>
    public static Scope Begin(string step)
    {
        _ = Registered.Value;
        var scope = new Scope(step, Current.Value);
        Current.Value = scope;
        return scope;
    }

    /// <summary>Ensures clients made from now on are recorded.</summary>
    public static void Install() => _ = Registered.Value;

    public sealed class Scope : IDisposable
    {
        private readonly ConcurrentQueue<AwsCall> calls = new();
        private readonly Scope? outer;

        internal Scope(string step, Scope? outer)
        {
            Step = step;
            this.outer = outer;
        }

        public string Step { get; }

        public IReadOnlyList<AwsCall> Calls => [.. calls];

        internal void Add(AwsCall call) => calls.Enqueue(call);

        public void Dispose() => Current.Value = outer;
    }

    private sealed class Customizer : IRuntimePipelineCustomizer
    {
        public string UniqueName => "Bakery.Integration.Tests.AwsCallRecorder";

        public void Customize(Type type, RuntimePipeline pipeline) => pipeline.AddHandler(new RecordingHandler());
    }

    private sealed class RecordingHandler : PipelineHandler
    {
        public override Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            Record(executionContext);
            return base.InvokeAsync<T>(executionContext);
        }

        public override void InvokeSync(IExecutionContext executionContext)
        {
            Record(executionContext);
            base.InvokeSync(executionContext);
        }

        private static void Record(IExecutionContext executionContext)
        {
            if (Current.Value is not { } scope)
            {
                return;
            }

            var request = executionContext.RequestContext.OriginalRequest;
            var (action, resources) = IamActions.For(request);
            var region = executionContext.RequestContext.ClientConfig.RegionEndpoint?.SystemName ?? "(none)";
            scope.Add(new AwsCall(scope.Step, IamActions.OperationOf(request), region, action, resources, request));
            foreach (var (also, alsoResources) in IamActions.AlsoFor(request))
            {
                scope.Add(new AwsCall(scope.Step, IamActions.OperationOf(request), region, also, alsoResources, request));
            }
        }
    }
}

using System.Diagnostics.CodeAnalysis;

namespace Bakery.Functions.Runtime;

/// <summary>
/// One function's code: event bytes in, response bytes out. The token fires shortly before the Lambda deadline.
/// A thrown exception becomes the invocation's error, named by the exception's short type name.
/// </summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "A Lambda handler is what it is.")]
internal delegate Task<ReadOnlyMemory<byte>> LambdaHandler(ReadOnlyMemory<byte> input, LambdaContext context, CancellationToken cancellationToken);

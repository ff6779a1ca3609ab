namespace Bakery.Cli.Stack;

/// <summary>The stack's configuration cannot be found or read; the message says what to do.</summary>
internal sealed class StackConfigException(string message) : Exception(message);

using System.Diagnostics;
using System.Text;

namespace Bakery.Local.StepFunctions.Internal;

/// <summary>Keeps the last characters a child process writes to stderr, for error messages.</summary>
internal sealed class StderrTail
{
    private readonly StringBuilder _text = new();
    private readonly int _maxChars;

    public StderrTail(Process process, int maxChars)
    {
        _maxChars = maxChars;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (_text)
            {
                _text.AppendLine(e.Data);
                if (_text.Length > _maxChars)
                {
                    _text.Remove(0, _text.Length - _maxChars);
                }
            }
        };
        process.BeginErrorReadLine();
    }

    public string Text
    {
        get
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }
}

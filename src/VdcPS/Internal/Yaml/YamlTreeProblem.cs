using System;

namespace VdcPS.Internal.Yaml
{
    /// <summary>Why a YAML text could not be read as written, and where (1-based; 0 when unknown).</summary>
    internal sealed class YamlTreeProblem
    {
        public YamlTreeProblem(int line, int column, string message, Exception? cause = null)
        {
            Line = line;
            Column = column;
            Message = message;
            Cause = cause;
        }

        public int Line { get; }

        public int Column { get; }

        /// <summary>A sentence that starts in lower case, for the caller to put after its own words.</summary>
        public string Message { get; }

        /// <summary>The parser's exception, when the YAML itself is broken.</summary>
        public Exception? Cause { get; }
    }
}

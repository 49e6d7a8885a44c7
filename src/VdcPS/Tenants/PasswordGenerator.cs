using System;

namespace VdcPS.Tenants
{
    /// <summary>Strong random passwords from the operating system's CSPRNG.</summary>
    internal static class PasswordGenerator
    {
        private const string Lower = "abcdefghijkmnopqrstuvwxyz";
        private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
        private const string Digits = "23456789";
        private const string Symbols = "-_.!~+=";

        /// <summary>24 characters, at least one of each class: about 140 bits of entropy.</summary>
        public static string Generate(int length = 24)
        {
            string all = Lower + Upper + Digits + Symbols;
            var chars = new char[length];
            using var rng = System.Security.Cryptography.RandomNumberGenerator.Create();
            string[] classes = { Lower, Upper, Digits, Symbols };
            for (int i = 0; i < length; i++)
            {
                string set = i < classes.Length ? classes[i] : all;
                chars[i] = set[Uniform(rng, set.Length)];
            }

            // shuffle so the class-guaranteed characters are not always first (Fisher-Yates)
            for (int i = length - 1; i > 0; i--)
            {
                int j = Uniform(rng, i + 1);
                (chars[i], chars[j]) = (chars[j], chars[i]);
            }

            return new string(chars);
        }

        /// <summary>A uniform integer in [0, n) without modulo bias.</summary>
        private static int Uniform(System.Security.Cryptography.RandomNumberGenerator rng, int n)
        {
            var buffer = new byte[4];
            uint limit = uint.MaxValue - (uint.MaxValue % (uint)n);
            uint value;
            do
            {
                rng.GetBytes(buffer);
                value = BitConverter.ToUInt32(buffer, 0);
            }
            while (value >= limit);
            return (int)(value % (uint)n);
        }
    }
}

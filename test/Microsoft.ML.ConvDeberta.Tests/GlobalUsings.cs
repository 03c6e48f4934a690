global using Microsoft.VisualStudio.TestTools.UnitTesting;
[assembly: Parallelize(Workers = 1, Scope = ExecutionScope.ClassLevel)]

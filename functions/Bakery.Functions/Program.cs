Console.Error.WriteLine("bootstrap: the Lambda runtime loop is not written yet");
return 1;

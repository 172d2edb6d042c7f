return { name = ... , where = "classpath" }
